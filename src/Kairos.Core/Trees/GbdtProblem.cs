namespace Kairos.Trees;

/// <summary>
/// Everything the tree stage trains and scores: the training split, the validation split (its earlier part
/// drives early stopping, its later part fits the calibrators), every other split to be scored (test,
/// folds), which feature columns are categorical, the bar size and the label horizon (for purge and embargo).
/// </summary>
public sealed record GbdtProblem(
    GbdtSamples Train,
    GbdtSamples Validation,
    IReadOnlyList<GbdtSamples> Others,
    IReadOnlyList<int> CategoricalColumns,
    long BarSeconds,
    int LabelHorizonBars);
