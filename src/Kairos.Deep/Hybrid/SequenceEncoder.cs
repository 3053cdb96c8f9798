using Kairos.Deep.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Transformer encoder over <c>[B, L, S]</c> sequence windows: input projection, position encoding,
/// N encoder layers, pooling to <c>[B, d_model]</c>.
/// </summary>
internal sealed class SequenceEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Linear input;
    private readonly Parameter? position;
    private readonly Tensor? sinusoid;
    private readonly ModuleList<EncoderLayer> layers;
    private readonly SeededDropout dropout;
    private readonly SequencePooling _pooling;

    public SequenceEncoder(int sequenceLength, int features, HybridModelOptions o, Generator generator) : base(nameof(SequenceEncoder))
    {
        _pooling = o.Pooling;
        input = nn.Linear(features, o.DModel);
        if (o.Positions == PositionEncoding.Learned)
            position = nn.Parameter(zeros(1, sequenceLength, o.DModel));
        else if (o.Positions == PositionEncoding.Sinusoidal)
            sinusoid = Sinusoid(sequenceLength, o.DModel);
        layers = new ModuleList<EncoderLayer>(Enumerable.Range(0, o.Layers)
            .Select(_ => new EncoderLayer(o.DModel, o.Heads, o.FeedForward, o.Dropout, generator)).ToArray());
        dropout = new SeededDropout(o.Dropout, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor sequence)
    {
        var x = input.forward(sequence);
        if (position is not null) x = x + position;
        else if (sinusoid is not null) x = x + sinusoid;
        x = dropout.forward(x);
        for (var i = 0; i < layers.Count; i++)
        {
            var lastOnly = _pooling == SequencePooling.Last && i == layers.Count - 1;
            x = layers[i].forward(x, lastOnly);
        }
        return _pooling == SequencePooling.Last ? x.select(1, -1) : x.mean([1]);
    }

    private static Tensor Sinusoid(int length, int d)
    {
        var table = new float[length * d];
        for (var p = 0; p < length; p++)
            for (var i = 0; i < d; i++)
            {
                var angle = p / Math.Pow(10000, 2.0 * (i / 2) / d);
                table[p * d + i] = (float)(i % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        return tensor(table).reshape(1, length, d);
    }
}
