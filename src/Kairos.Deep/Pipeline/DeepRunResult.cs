using Kairos.Deep.Runs;

namespace Kairos.Pipeline;

/// <summary>The deep-model stage's finished run, whichever family it trained.</summary>
/// <param name="Model">The family trained.</param>
/// <param name="RunDirectory">The run directory (predictions_test.csv, metrics.json, bundle_metadata.json, weights).</param>
/// <param name="Metrics">The run's metrics.json.</param>
/// <param name="ModelVariant">The run's model_variant (v10_ctx, v10_ctx_gated, tft, bilstm_attn).</param>
public sealed record DeepRunResult(DeepModelKind Model, string RunDirectory, TrainingMetrics Metrics, string ModelVariant)
{
    /// <summary>How the run and its predictions are named in sources, reports and the output tree: <c>hybrid</c>, <c>tft</c> or <c>lstm</c>.</summary>
    public string Name => Model.ToString().ToLowerInvariant();
}
