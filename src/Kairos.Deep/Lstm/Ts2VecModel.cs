using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// TS2Vec's encoder for the BiLSTM: the timestamp mask zeroes the masked bars' input, so the LSTM's input projection
/// (its first layer's <c>W_ih x</c>) is zero there, as TS2Vec zeroes its input projection's output at masked
/// timestamps; the output is the per-bar representation <c>[B, L, 2H]</c> the contrastive loss compares. No decoder,
/// no projection head (the paper has none).
/// </summary>
public sealed class Ts2VecModel : PretrainingModel
{
    private readonly BiLstmEncoder encoder;

    public Ts2VecModel(BiLstmEncoderOptions options, Generator generator) : base(nameof(Ts2VecModel))
    {
        encoder = new BiLstmEncoder(options, generator);
        RegisterComponents();
    }

    public override BiLstmEncoder Encoder => encoder;

    /// <summary><paramref name="x"/> <c>[B, L, F]</c>, <paramref name="mask"/> <c>[B, L]</c> bool (true = masked); returns <c>[B, L, 2H]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return encoder.forward(x.masked_fill(mask.unsqueeze(-1), 0)).MoveToOuterDisposeScope();
    }
}
