using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// The pretraining model: masked positions of the input are replaced by a learned mask vector, the BiLSTM
/// encodes the window (seeing both sides of every hidden position) and a linear decoder reconstructs every
/// position's features; the loss (<see cref="SequenceMasking.MaskedLoss"/>) scores the hidden ones only.
/// </summary>
public sealed class MaskedAutoencoder : PretrainingModel
{
    private readonly BiLstmEncoder encoder;
    private readonly Linear decoder;
    private readonly Parameter mask_token;

    public MaskedAutoencoder(BiLstmEncoderOptions options, Generator generator) : base(nameof(MaskedAutoencoder))
    {
        encoder = new BiLstmEncoder(options, generator);
        decoder = nn.Linear(options.OutputSize, options.InputSize);
        mask_token = nn.Parameter(zeros(options.InputSize));
        RegisterComponents();
    }

    public override BiLstmEncoder Encoder => encoder;

    /// <summary><paramref name="x"/> <c>[B, L, F]</c>, <paramref name="mask"/> <c>[B, L]</c> bool; returns the reconstruction <c>[B, L, F]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var masked = where(mask.unsqueeze(-1), mask_token.expand_as(x), x);
        return decoder.forward(encoder.forward(masked)).MoveToOuterDisposeScope();
    }
}
