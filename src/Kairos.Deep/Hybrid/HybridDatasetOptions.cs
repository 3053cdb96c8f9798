using Kairos.Deep.Runs;

namespace Kairos.Deep.Hybrid;

/// <summary>How the hybrid trainer reads a dataset directory.</summary>
public sealed record HybridDatasetOptions
{
    /// <summary>The tree signals the model uses, in input order.</summary>
    public static readonly IReadOnlyList<string> TreeSignalColumns = ["p_cal", "margin", "p_hat", "uncertainty_score"];

    /// <summary>Split to train on. Default <c>train</c>.</summary>
    public string TrainSplit { get; init; } = "train";
    /// <summary>Split for validation and early stopping (null: none). Default <c>val</c>.</summary>
    public string? ValidationSplit { get; init; } = "val";
    /// <summary>
    /// True (the default): the dataset must carry calibrated tree signals (<c>calibration_applied: true</c> and
    /// every column of <see cref="TreeSignalColumns"/>); a dataset without them is refused. False (the explicit
    /// opt-out <c>--no-tree-signals</c>): the model has no tree-signal branch and ignores any signal columns.
    /// </summary>
    public bool UseTreeSignals { get; init; } = true;
    /// <summary>
    /// Splits the trainer scores with the final weights into <c>predictions_&lt;split&gt;.csv</c> in the run directory
    /// (docs/metrics.md), whole (never cut by <c>--limit-samples</c>). Every one must exist, and carry the tree signals
    /// when they are used. Default <c>val</c> and <c>test</c>; empty: none.
    /// </summary>
    public IReadOnlyList<string> PredictionSplits { get; init; } = ["val", "test"];
    /// <summary>Where training batches come from (docs/hybrid.md, "Batch source"). Default <see cref="TrainingDataSource.Auto"/>.</summary>
    public TrainingDataSource DataSource { get; init; } = TrainingDataSource.Auto;
    /// <summary>
    /// The directory the <c>disk</c> source writes its column cache under (a temporary directory, deleted when the data is
    /// disposed). Default: the system's temporary directory (<c>TMPDIR</c>); put it on a disk, not a RAM file system.
    /// </summary>
    public string? CacheDirectory { get; init; }
}
