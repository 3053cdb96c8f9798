namespace Kairos.Bundles;

/// <summary>
/// Leakage guards and whether they passed: no future information (look-ahead check), time-ordered splits
/// with purge, the feature audit (contract checked), scalers fitted on training rows only, and tree
/// signals for training rows computed out of fold.
/// </summary>
public sealed record ModelCardLeakageChecks
{
    public required bool FutureInfo { get; init; }
    public required bool TimeSplit { get; init; }
    public required bool FeatureAudit { get; init; }
    public bool? ScalersTrainOnly { get; init; }
    public bool? OutOfFoldSignals { get; init; }

    /// <summary>How each check was established (which artifact recorded it).</summary>
    public IReadOnlyList<string>? Details { get; init; }
}
