namespace Kairos.Evaluation;

/// <summary>The drift analysis of one bucket column.</summary>
/// <param name="Column">The bucket column, or <c>all</c> when the rows were analysed as one bucket.</param>
/// <param name="Buckets">One entry per value of the column (ordinal order).</param>
public sealed record DriftAnalysis(string Column, IReadOnlyList<DriftBucket> Buckets)
{
    /// <summary>The bucket column name used when no column was given and the predictions carry no session.</summary>
    public const string AllRows = "all";
}
