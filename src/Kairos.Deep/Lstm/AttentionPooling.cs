using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kairos.Deep.Lstm;

/// <summary>Learned attention over positions: <c>softmax_L(w . h_t + b)</c> weights the encoder outputs into one <c>[B, d]</c> vector.</summary>
public sealed class AttentionPooling : nn.Module<Tensor, Tensor>
{
    private readonly Linear score;

    public AttentionPooling(int width) : base(nameof(AttentionPooling))
    {
        score = nn.Linear(width, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor h)
    {
        using var scope = NewDisposeScope();
        var weights = F.softmax(score.forward(h), 1);
        return (weights * h).sum(1).MoveToOuterDisposeScope();
    }
}
