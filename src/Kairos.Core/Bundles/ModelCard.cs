namespace Kairos.Bundles;

/// <summary>
/// Model Card v2 (<c>model_card.json</c>): the design notes' fields (training range, rows, class balance,
/// symbols, metrics, latency, leakage checks, feature importance, hyperparameters, notes) plus ours:
/// lineage, per-session calibration, eligibility, the gate verdict and the detailed latency report.
/// Described by <c>model_card.schema.json</c> (JSON Schema 2020-12), see <see cref="ModelCardSchema"/>.
/// </summary>
public sealed record ModelCard
{
    public const string CurrentVersion = "2";

    public required string Version { get; init; }
    public required string ModelName { get; init; }
    public required string ModelVariant { get; init; }
    public required string BundleId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string FeatureContractHash { get; init; }
    public required ModelCardTraining Train { get; init; }

    /// <summary>Metrics on the held-out split named in <see cref="ModelCardMetrics.Split"/>.</summary>
    public required ModelCardMetrics Metrics { get; init; }

    /// <summary>The same metrics per session, when the evaluation reported them.</summary>
    public IReadOnlyDictionary<string, ModelCardMetrics>? MetricsBySession { get; init; }

    /// <summary>Full inference path latency in milliseconds (absent until measured).</summary>
    public ModelCardLatency? LatencyMs { get; init; }

    /// <summary>Per-stage latency in microseconds, with the machine it was measured on.</summary>
    public LatencyReport? LatencyDetail { get; init; }

    /// <summary>The backtest after costs on the test period (absent until <c>kairos run</c> backtests the bundle).</summary>
    public ModelCardBacktest? Backtest { get; init; }

    /// <summary>
    /// A multi-symbol model (<c>kairos run</c> with <c>input.symbols</c>): each symbol's backtest after costs on its test
    /// period, by symbol; <see cref="Backtest"/> is then absent (one symbol's trades say nothing of another's).
    /// </summary>
    public IReadOnlyDictionary<string, ModelCardBacktest>? BacktestBySymbol { get; init; }
    public required ModelCardLeakageChecks LeakageChecks { get; init; }
    public required IReadOnlyList<FeatureImportance> FeatureImportance { get; init; }

    /// <summary>Hyperparameters per stage (<c>trees</c>, <c>hybrid</c>): name -> scalar value.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, System.Text.Json.JsonElement>> Hyperparameters { get; init; }
    public required string Notes { get; init; }
    public required BundleLineage Lineage { get; init; }
    public required ModelCardCalibration Calibration { get; init; }
    public required ModelCardEligibility Eligibility { get; init; }
    public required ModelCardGate Gate { get; init; }

    /// <summary>The walk-forward estimate (pooled out-of-sample metrics and their spread across windows); null when the run had none.</summary>
    public ModelCardOutOfTime? OutOfTime { get; init; }
}
