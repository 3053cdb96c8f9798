using Kairos.Deep.Hybrid;
using Kairos.Deep.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Hybrid;

public class EncoderLayerTests
{
    [Fact]
    public void Forward_LastOnly_EqualsLastPositionOfFullLayer()
    {
        TorchRuntime.EnsureAvailable();
        torch.manual_seed(11);
        using var layer = new EncoderLayer(16, 4, 32, 0.1, new Generator(2));
        layer.eval();
        using var scope = NewDisposeScope();
        var x = randn(3, 10, 16);

        var full = layer.forward(x, false);
        var last = layer.forward(x, true);

        Assert.Equal([3L, 10L, 16L], full.shape);
        Assert.Equal([3L, 1L, 16L], last.shape);
        Assert.True(last.squeeze(1).allclose(full.select(1, -1), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Forward_Full_MatchesReferenceMultiHeadAttentionLayer()
    {
        TorchRuntime.EnsureAvailable();
        torch.manual_seed(5);
        using var layer = new EncoderLayer(8, 2, 16, 0.0, new Generator(2));
        layer.eval();
        using var reference = nn.TransformerEncoderLayer(8, 2, 16, 0.0);
        reference.eval();
        using var scope = NewDisposeScope();
        var ours = layer.state_dict();
        var theirs = reference.state_dict();
        using (no_grad())
        {
            theirs["self_attn.in_proj_weight"].copy_(ours["in_proj.weight"]);
            theirs["self_attn.in_proj_bias"].copy_(ours["in_proj.bias"]);
            theirs["self_attn.out_proj.weight"].copy_(ours["out_proj.weight"]);
            theirs["self_attn.out_proj.bias"].copy_(ours["out_proj.bias"]);
            foreach (var name in new[] { "linear1", "linear2", "norm1", "norm2" })
            {
                theirs[name + ".weight"].copy_(ours[name + ".weight"]);
                theirs[name + ".bias"].copy_(ours[name + ".bias"]);
            }
        }
        var x = randn(4, 6, 8);

        var expected = reference.forward(x.transpose(0, 1)).transpose(0, 1);
        var actual = layer.forward(x, false);

        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max diff {(actual - expected).abs().max().item<float>()}");
    }
}
