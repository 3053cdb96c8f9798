using Kairos.Deep.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// A post-norm Transformer encoder layer (as <c>torch.nn.TransformerEncoderLayer</c>, batch first, ReLU):
/// <c>x = norm1(x + drop(attn(x))); x = norm2(x + drop(ff(x)))</c>, with dropout on attention weights too.
/// When asked for the last position only, it attends from that position alone (keys and values still come
/// from every position) and runs the feed-forward on it alone: exactly that position's output of the full
/// layer, at a fraction of the work.
/// </summary>
internal sealed class EncoderLayer : nn.Module<Tensor, bool, Tensor>
{
    private readonly Linear in_proj;
    private readonly Linear out_proj;
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly SeededDropout dropout;
    private readonly int _heads;
    private readonly int _dModel;

    public EncoderLayer(int dModel, int heads, int feedForward, double dropoutP, Generator generator) : base(nameof(EncoderLayer))
    {
        _heads = heads;
        _dModel = dModel;
        in_proj = nn.Linear(dModel, 3 * dModel);
        out_proj = nn.Linear(dModel, dModel);
        linear1 = nn.Linear(dModel, feedForward);
        linear2 = nn.Linear(feedForward, dModel);
        norm1 = nn.LayerNorm(dModel);
        norm2 = nn.LayerNorm(dModel);
        dropout = new SeededDropout(dropoutP, generator);
        RegisterComponents();
    }

    /// <summary><paramref name="x"/>: <c>[B, L, d]</c>; returns <c>[B, L, d]</c>, or <c>[B, 1, d]</c> when <paramref name="lastOnly"/>.</summary>
    public override Tensor forward(Tensor x, bool lastOnly)
    {
        var b = x.shape[0];
        var l = x.shape[1];
        var dh = _dModel / _heads;
        var weight = in_proj.weight!;
        var bias = in_proj.bias!;
        var query = lastOnly ? x.narrow(1, l - 1, 1) : x;
        var lq = query.shape[1];

        var q = F.linear(query, weight.narrow(0, 0, _dModel), bias.narrow(0, 0, _dModel));
        var kv = F.linear(x, weight.narrow(0, _dModel, 2 * _dModel), bias.narrow(0, _dModel, 2 * _dModel));
        q = q.view(b, lq, _heads, dh).transpose(1, 2);
        var k = kv.narrow(2, 0, _dModel).reshape(b, l, _heads, dh).transpose(1, 2);
        var v = kv.narrow(2, _dModel, _dModel).reshape(b, l, _heads, dh).transpose(1, 2);

        var scores = q.matmul(k.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(dh));
        var attention = dropout.forward(F.softmax(scores, -1)).matmul(v);
        attention = attention.transpose(1, 2).reshape(b, lq, _dModel);

        var h = norm1.forward(query + dropout.forward(out_proj.forward(attention)));
        var ff = linear2.forward(dropout.forward(F.relu(linear1.forward(h))));
        return norm2.forward(h + dropout.forward(ff));
    }
}
