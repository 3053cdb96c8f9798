namespace Kairos.Evaluation;

/// <summary>One model's overall metrics on the rows a promotion compared (both models on the same rows).</summary>
public sealed record ModelOnRows(long Count, long Positives, double? PrAuc, double? RocAuc, double Brier, double Ece)
{
    public static ModelOnRows Of(BinaryMetrics m) => new(m.Count, m.Positives, m.PrAuc, m.RocAuc, m.Brier, m.Ece);
}
