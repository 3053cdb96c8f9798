using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>The loss of one batch: each head's term (unweighted), the gate-stability term, and the weighted total.</summary>
public sealed record HybridLossTerms(Tensor Direction, Tensor EarlyMove, Tensor Quality, Tensor? GateStability, Tensor Total)
{
    /// <summary>Names of the terms, in the order of <see cref="Stack"/>.</summary>
    public static readonly IReadOnlyList<string> Names = ["direction", "early_move", "quality", "gate_stability", "total"];

    /// <summary>
    /// Computes the terms. Direction and early move: BCE on logits; quality: Huber; gate stability: the
    /// batch variance of each branch's gate, averaged over branches (it keeps the gating of a branch
    /// consistent across samples instead of flickering from one sample to the next).
    /// </summary>
    public static HybridLossTerms Compute(HybridOutput output, HybridBatch batch, HybridLossWeights weights)
    {
        var direction = nn.functional.binary_cross_entropy_with_logits(output.Direction, batch.Direction);
        var early = nn.functional.binary_cross_entropy_with_logits(output.EarlyMove, batch.EarlyMove);
        var quality = nn.functional.huber_loss(output.Quality, batch.Quality, weights.HuberDelta);
        var total = direction * weights.Direction + early * weights.EarlyMove + quality * weights.Quality;
        Tensor? gate = null;
        if (output.Gates is not null)
        {
            gate = output.Gates.var(0, unbiased: false).mean();
            total = total + gate * weights.GateStability;
        }
        return new HybridLossTerms(direction, early, quality, gate, total);
    }

    /// <summary>All five values in one tensor (gate stability 0 when absent), to read them with one copy.</summary>
    public Tensor Stack() => stack([Direction, EarlyMove, Quality, GateStability ?? zeros_like(Direction), Total]).detach();
}
