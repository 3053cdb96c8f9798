namespace Kairos.Deep.Lstm;

/// <summary>
/// One arm of one seed of <see cref="PretrainingComparison"/>: the classifier's run (and the pretraining run it started
/// from, none for <c>none</c>), its final weights scored on the whole validation and test splits.
/// </summary>
/// <param name="Name"><c>none</c>, <c>masked</c> or <c>ts2vec</c>.</param>
/// <param name="ClassifierRun">The fine-tuned (or, for none, randomly initialised) classifier's run directory.</param>
/// <param name="PretrainRun">The pretraining run whose encoder the classifier started from (null for none).</param>
/// <param name="PretrainBestValidationLoss">That run's best validation loss (its own objective; null for none).</param>
/// <param name="Validation">Scores on the whole validation split.</param>
/// <param name="Test">Scores on the whole test split.</param>
public sealed record ComparisonArm(string Name, string ClassifierRun, string? PretrainRun, double? PretrainBestValidationLoss, ValidationScores Validation, ValidationScores Test)
{
    /// <summary>The scores of <paramref name="split"/> (<c>val</c> or <c>test</c>).</summary>
    public ValidationScores On(string split) => split == PretrainingComparison.TestSplit ? Test : Validation;
}
