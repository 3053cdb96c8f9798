using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Evaluation;
using Kairos.Promotion;
using Kairos.Trees;

namespace Kairos.Pipeline;

/// <summary>Everything the run report shows: the stages' records and the artifacts they produced.</summary>
public sealed record RunReportInputs
{
    public required string RunId { get; init; }
    public required RunConfig Config { get; init; }
    public required IReadOnlyList<RunStageRecord> Stages { get; init; }
    public required DatasetMetadata Dataset { get; init; }
    public required GbdtRunReport Trees { get; init; }
    /// <summary>The deep-model stage's run (hybrid or TFT).</summary>
    public required DeepRunResult Hybrid { get; init; }
    /// <summary>The families of <c>compare:</c> beside the chosen one (null without <c>compare:</c>).</summary>
    public Kairos.Evaluation.ModelComparison? Models { get; init; }
    public required string EvaluationDirectory { get; init; }
    public required EvaluationReport Evaluation { get; init; }
    public required string PredictionsSource { get; init; }
    /// <summary>The gate's decision: outcome, reason, verdict (rules, both models on the same rows), baseline.</summary>
    public required PromotionDecision Gate { get; init; }
    public required Bundle Bundle { get; init; }
    /// <summary>The replay of each symbol (one for a single-symbol run), in the run's symbol order.</summary>
    public required IReadOnlyList<SymbolReplay> Replays { get; init; }

    /// <summary>The backtest of each symbol's test predictions (one for a single-symbol run), in the run's symbol order.</summary>
    public IReadOnlyList<SymbolBacktest> Backtests { get; init; } = [];
    public string? BestVersion { get; init; }

    /// <summary>The walk-forward stage's result; null when the config has none.</summary>
    public WalkForwardResult? WalkForward { get; init; }
}
