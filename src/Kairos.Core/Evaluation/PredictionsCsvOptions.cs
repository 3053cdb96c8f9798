namespace Kairos.Evaluation;

/// <summary>What a predictions CSV must contain.</summary>
/// <param name="RequireLabels">The <c>y_true</c> column is required (default true; off for calibrating unlabelled scores).</param>
/// <param name="RequireUnitInterval"><c>y_prob</c> must lie in [0, 1] (default true; off for raw scores such as margins).</param>
public sealed record PredictionsCsvOptions(bool RequireLabels = true, bool RequireUnitInterval = true);
