using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// A model that pretrains a <see cref="BiLstmEncoder"/>: <c>forward(x [B, L, F], hidden [B, L] bool)</c>. The run
/// saves the whole model as <c>model.bin</c> and <see cref="Encoder"/> alone as <c>encoder.bin</c>, which
/// <c>train lstm --encoder</c> loads whatever the method.
/// </summary>
public abstract class PretrainingModel(string name) : nn.Module<Tensor, Tensor, Tensor>(name)
{
    /// <summary>The encoder being pretrained (checkpoint keys <c>encoder.lstm.*</c> in <c>model.bin</c>).</summary>
    public abstract BiLstmEncoder Encoder { get; }
}
