namespace Kairos.Datasets;

/// <summary>How bucket thresholds are chosen; neither ever looks at validation or test data.</summary>
public enum BucketMode
{
    /// <summary>Thresholds given in the configuration.</summary>
    Fixed,
    /// <summary>Quantiles of the training rows only (quartiles for ATR, terciles for spread).</summary>
    TrainQuantiles,
}
