namespace Kairos.Evaluation;

/// <summary>What a predictions CSV must contain.</summary>
/// <param name="RequireLabels">The <c>y_true</c> column is required (default true; off for calibrating unlabelled scores).</param>
/// <param name="RequireUnitInterval"><c>y_prob</c> must lie in [0, 1] (default true; off for raw scores such as margins).</param>
/// <param name="BucketColumns">
/// Further categorical columns to read into <see cref="Predictions.Buckets"/> (for example <c>atr_bucket</c> for
/// drift per bucket): each must be in the header and every cell non-empty. <c>session</c> and <c>vol_regime</c>
/// are always read when present and need not be listed. Default none.
/// </param>
public sealed record PredictionsCsvOptions(bool RequireLabels = true, bool RequireUnitInterval = true, IReadOnlyList<string>? BucketColumns = null);
