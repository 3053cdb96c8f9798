namespace Kairos.Datasets;

public enum SplitMethod
{
    /// <summary>Train / validation / test by fractions of the eligible samples in time order.</summary>
    Fractions,
    /// <summary>Validation and test start at configured UTC dates.</summary>
    Dates,
    /// <summary>Boundaries and folds read from a split file written by an earlier build.</summary>
    File,
}
