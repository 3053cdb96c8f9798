using Kairos.Deep.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Bidirectional LSTM over <c>[B, L, F]</c> returning <c>[B, L, 2H]</c>, with seeded dropout on its output.
/// The same module (and the same checkpoint keys, <c>lstm.*</c>) in the masked autoencoder and the classifier,
/// so pretrained weights load into the classifier's encoder unchanged.
/// </summary>
public sealed class BiLstmEncoder : nn.Module<Tensor, Tensor>
{
    private readonly LSTM lstm;
    private readonly SeededDropout dropout;

    public BiLstmEncoder(BiLstmEncoderOptions options, Generator generator) : base(nameof(BiLstmEncoder))
    {
        Options = options;
        lstm = nn.LSTM(options.InputSize, options.HiddenSize, numLayers: options.Layers, batchFirst: true, bidirectional: true);
        dropout = new SeededDropout(options.Dropout, generator);
        RegisterComponents();
    }

    public BiLstmEncoderOptions Options { get; }

    public override Tensor forward(Tensor x)
    {
        var (output, h, c) = lstm.forward(x, null);
        h.Dispose();
        c.Dispose();
        return dropout.forward(output);
    }
}
