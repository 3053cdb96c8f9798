using Kairos.Deep.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kairos.Deep.Lstm;

/// <summary>
/// The sequence classifier of seed 003: BiLSTM encoder, attention pooling, and an MLP head giving the logit of
/// <c>y_direction</c>. The encoder is the pretrained one when given (<see cref="LoadEncoder"/>).
/// </summary>
public sealed class LstmClassifier : nn.Module<Tensor, Tensor>
{
    private readonly BiLstmEncoder encoder;
    private readonly AttentionPooling pooling;
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly SeededDropout dropout;

    public LstmClassifier(BiLstmEncoderOptions encoderOptions, int headHidden, double headDropout, Generator generator) : base(nameof(LstmClassifier))
    {
        encoder = new BiLstmEncoder(encoderOptions, generator);
        pooling = new AttentionPooling(encoderOptions.OutputSize);
        hidden = nn.Linear(encoderOptions.OutputSize, headHidden);
        output = nn.Linear(headHidden, 1);
        dropout = new SeededDropout(headDropout, generator);
        RegisterComponents();
    }

    public BiLstmEncoder Encoder => encoder;

    /// <summary>Parameters outside the encoder (pooling and head).</summary>
    public IEnumerable<Parameter> HeadParameters() =>
        pooling.parameters().Concat(hidden.parameters()).Concat(output.parameters());

    /// <summary>Loads pretrained encoder weights (the <c>encoder.bin</c> of a pretraining run).</summary>
    public void LoadEncoder(string path) => encoder.load(path);

    /// <summary><paramref name="x"/> <c>[B, L, F]</c>; returns logits <c>[B]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pooled = pooling.forward(encoder.forward(x));
        var logits = output.forward(dropout.forward(F.gelu(hidden.forward(pooled)))).squeeze(-1);
        return logits.MoveToOuterDisposeScope();
    }
}
