using Kairos.Deep.Runs;
using Kairos.Features;

namespace Kairos.Deep.Lstm;

/// <summary>How the sequence trainers read a dataset directory.</summary>
public sealed record SequenceDatasetOptions
{
    /// <summary>Split to train on. Default <c>train</c>.</summary>
    public string TrainSplit { get; init; } = "train";
    /// <summary>Split for validation and early stopping (null: none). Default <c>val</c>.</summary>
    public string? ValidationSplit { get; init; } = "val";
    /// <summary>
    /// The sequence features the model reads, in input order; each must be one of the dataset's
    /// <c>sequence_features</c>. Default: the 11 relative-transform features.
    /// </summary>
    public IReadOnlyList<string> Features { get; init; } = RelativeTransform.FeatureNames;
    /// <summary>
    /// Splits <see cref="LstmTrainer"/> scores whole with the final weights into <c>predictions_&lt;split&gt;.csv</c> in the
    /// run directory (docs/metrics.md; never cut by <c>--limit-samples</c>). Every one must exist and be scaled with the
    /// training split's scalers; checked before any window is built. Default none (pretraining predicts nothing);
    /// <c>kairos train lstm</c> passes <c>--predict-splits</c>, default <c>val,test</c>.
    /// </summary>
    public IReadOnlyList<string> PredictionSplits { get; init; } = [];
    /// <summary>Where training batches come from (docs/training-from-disk.md). Default <see cref="TrainingDataSource.Auto"/>.</summary>
    public TrainingDataSource DataSource { get; init; } = TrainingDataSource.Auto;
    /// <summary>
    /// The directory the <c>disk</c> source writes its cache under (a temporary directory, deleted when the data is disposed).
    /// Default: the system's temporary directory (<c>TMPDIR</c>); put it on a disk, not a RAM file system.
    /// </summary>
    public string? CacheDirectory { get; init; }
}
