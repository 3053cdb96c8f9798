using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>One batch of model inputs and labels, all on the training device.</summary>
public sealed class HybridBatch
{
    /// <summary>Scaled sequence windows <c>[B, L, S]</c> float32.</summary>
    public required Tensor Sequence { get; init; }
    /// <summary>Scaled snapshot features <c>[B, F]</c> float32.</summary>
    public required Tensor Snapshot { get; init; }
    /// <summary>Categorical context ids <c>[B, 5]</c> int64.</summary>
    public required Tensor ContextCategorical { get; init; }
    /// <summary>Continuous context <c>[B, 2]</c> float32 (atr_bps, spread_bps), unscaled.</summary>
    public required Tensor ContextContinuous { get; init; }
    /// <summary>Tree signals <c>[B, 4]</c> float32 (p_cal, margin, p_hat, uncertainty_score), or null.</summary>
    public Tensor? TreeSignals { get; init; }
    /// <summary>Direction label <c>[B]</c> float32 in {0, 1}.</summary>
    public required Tensor Direction { get; init; }
    /// <summary>Early-move label <c>[B]</c> float32 in {0, 1}.</summary>
    public required Tensor EarlyMove { get; init; }
    /// <summary>Quality target <c>[B]</c> float32.</summary>
    public required Tensor Quality { get; init; }
    /// <summary>Row numbers of these samples in their split <c>[B]</c> int64 (for diagnostics).</summary>
    public required Tensor Rows { get; init; }

    /// <summary>Number of samples in the batch.</summary>
    public long Count => Direction.shape[0];
}
