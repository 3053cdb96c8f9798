namespace Kairos.Trees;

/// <summary>What the trees search scores its trials on (docs/search.md, "A search that does not select for luck").</summary>
public enum GbdtSearchObjectiveKind
{
    /// <summary>Purged time folds over the training split (default): every trial judged on every training period.</summary>
    Folds,

    /// <summary>The early-stopping part of the validation split: one stretch of time, whose noise the search can select for.</summary>
    Validation,
}
