using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Evaluation;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Trees;

namespace Kairos.Pipeline;

/// <summary>
/// Everything <c>kairos run CONFIG.yaml</c> does, as read and validated by <see cref="RunConfigLoader"/>
/// (docs/run.md). Paths are absolute: relative paths in the file are resolved against the file's directory.
/// </summary>
public sealed record RunConfig
{
    /// <summary>The YAML file this configuration was read from.</summary>
    public required string ConfigFile { get; init; }

    /// <summary>Bar files of the snapshot (one symbol).</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Ask bar files, one beside each of <see cref="Inputs"/> (joined to its bid bars), or null (none).</summary>
    public IReadOnlyList<string>? AskInputs { get; init; }

    public required string Symbol { get; init; }

    /// <summary>How the bar files are read (format, time zone, time format, point size, bar size, repair).</summary>
    public BarReadOptions Read { get; init; } = new();

    public required DatasetConfig Dataset { get; init; }

    /// <summary>The dataset YAML when the config names one; null when the dataset settings are inline.</summary>
    public string? DatasetConfigFile { get; init; }

    /// <summary>Boosted-tree stage settings (mode, folds, ensemble, calibration, LightGBM parameters).</summary>
    public GbdtStageOptions Trees { get; init; } = new();

    /// <summary>Hyper-parameter search before the trees' final fit (trials 0: none).</summary>
    public GbdtSearchOptions Search { get; init; } = new();

    public HybridTrainerOptions Hybrid { get; init; } = new();

    /// <summary>Evaluation of the candidate's test predictions (bins, threshold, bootstrap).</summary>
    public EvaluationOptions Evaluation { get; init; } = new() { MaxThreads = 2 };

    /// <summary>Rules of the promotion gate against the registry's current best.</summary>
    public PromotionGateOptions Gate { get; init; } = new();

    public BundleLatencyOptions Latency { get; init; } = new();

    /// <summary>Registry the gate reads the current best from and promotes into.</summary>
    public required string Registry { get; init; }

    /// <summary>Root of every artifact: snapshots/, datasets/, trees/, hybrid/, evaluations/, gates/, bundles/, replays/, runs/.</summary>
    public required string Out { get; init; }

    /// <summary>Length of the replay window at the end of the snapshot. Default two weeks.</summary>
    public TimeSpan ReplayWindow { get; init; } = TimeSpan.FromDays(14);

    public ReplayOptions Replay { get; init; } = new();

    /// <summary>The model whose probability replay trades on: the hybrid direction head (default) or the trees' p_cal.</summary>
    public PLongSource ReplayPLong { get; init; } = PLongSource.Hybrid;
}
