namespace Kairos.Datasets;

/// <summary>
/// The fitted state of one training set (the main train split, or the train part of a fold): scalers
/// for sequence, snapshot and continuous context columns, and the ATR / spread bucket thresholds.
/// </summary>
public sealed record ScalerSet(
    StandardScaler Sequence,
    StandardScaler Snapshot,
    StandardScaler Context,
    IReadOnlyList<double> AtrBucketThresholdsBps,
    IReadOnlyList<double> SpreadBucketThresholdsBps,
    int TrainRows)
{
    /// <summary>Bucket of <paramref name="value"/>: the number of thresholds at or below it.</summary>
    public static int Bucket(double value, IReadOnlyList<double> thresholds)
    {
        var b = 0;
        while (b < thresholds.Count && value >= thresholds[b]) b++;
        return b;
    }
}
