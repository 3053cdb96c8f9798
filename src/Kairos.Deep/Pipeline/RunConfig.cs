using Kairos.Deep.Runs;
using Kairos.Backtest;
using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Evaluation;
using Kairos.Features;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Threading;
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

    /// <summary>Bar files of the snapshot; empty when <see cref="Snapshot"/> is given. Their symbols: <see cref="InputSymbols"/>.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>An existing snapshot directory the run reads instead of bar files (<c>input.snapshot</c>, e.g. one grown from a serve journal); null: snapshot <see cref="Inputs"/>.</summary>
    public string? Snapshot { get; init; }

    /// <summary>Ask bar files, one beside each of <see cref="Inputs"/> (joined to its bid bars), or null (none).</summary>
    public IReadOnlyList<string>? AskInputs { get; init; }

    /// <summary>The run's symbol (<c>input.symbol</c>), or the first of <see cref="Symbols"/> (<c>input.symbols</c>).</summary>
    public required string Symbol { get; init; }

    /// <summary>
    /// Every symbol the run trains one model on, in the order of <c>input.symbols</c> (first appearance); one symbol: just
    /// <see cref="Symbol"/>. Several make one multi-symbol dataset (with <c>dataset.pooled: true</c> a <c>symbol_id</c>
    /// context feature) and one bundle; replay and backtest run per symbol. Not serialised: it names a run
    /// (<see cref="PipelineRun.RunId"/>) only when there are several, so single-symbol runs keep their ids.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> Symbols
    {
        get => _symbols.Count > 0 ? _symbols : [Symbol];
        init => _symbols = value;
    }

    private readonly IReadOnlyList<string> _symbols = [];

    /// <summary>The symbol of each of <see cref="Inputs"/> (<c>input.symbols</c>: one per file, a symbol given twice joins its files); null: every file is <see cref="Symbol"/>'s.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string>? InputSymbols { get; init; }

    /// <summary>
    /// Where the hybrid's, the TFT's and the LSTM's training batches come from (<c>hybrid.data_source</c>, <c>tft.data_source</c>, <c>lstm.data_source</c>:
    /// memory, disk or auto; docs/training-from-disk.md). Not serialised and not in a stage key: both sources give the
    /// same batches, so the same weights; the choice changes only the memory the run holds.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TrainingDataSource HybridDataSource { get; init; } = TrainingDataSource.Auto;

    /// <inheritdoc cref="HybridDataSource"/>
    [System.Text.Json.Serialization.JsonIgnore]
    public TrainingDataSource TftDataSource { get; init; } = TrainingDataSource.Auto;

    /// <inheritdoc cref="HybridDataSource"/>
    [System.Text.Json.Serialization.JsonIgnore]
    public TrainingDataSource LstmDataSource { get; init; } = TrainingDataSource.Auto;

    /// <summary>True when the run trains one model on several symbols (<see cref="Symbols"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool MultiSymbol => Symbols.Count > 1;

    /// <summary>How the bar files are read (format, time zone, time format, point size, bar size, repair).</summary>
    public BarReadOptions Read { get; init; } = new();

    public required DatasetConfig Dataset { get; init; }

    /// <summary>The dataset YAML when the config names one; null when the dataset settings are inline.</summary>
    public string? DatasetConfigFile { get; init; }

    /// <summary>Boosted-tree stage settings (mode, folds, ensemble, calibration, LightGBM parameters).</summary>
    public GbdtStageOptions Trees { get; init; } = new();

    /// <summary>LightGBM threads of the trees stage (<c>trees.threads</c>): auto (default) or a fixed count; <c>Trees.Parameters.Threads</c> is not used.</summary>
    public ThreadSetting TreesThreads { get; init; } = ThreadSetting.Auto;

    /// <summary>Hyper-parameter search before the trees' final fit (trials 0: none).</summary>
    public GbdtSearchOptions Search { get; init; } = new();

    /// <summary>The deep model the run trains, bundles and judges: the hybrid (default), the TFT or the LSTM classifier (<c>model:</c>).</summary>
    public DeepModelKind Model { get; init; } = DeepModelKind.Hybrid;

    public HybridTrainerOptions Hybrid { get; init; } = new();

    /// <summary>TFT settings (section <c>tft:</c>), used with <c>model: tft</c>.</summary>
    public Kairos.Deep.Tft.TftTrainerOptions Tft { get; init; } = new();

    /// <summary>
    /// LSTM classifier settings (section <c>lstm:</c>), used with <c>model: lstm</c>: it reads every sequence feature of the
    /// enriched dataset (the encoder's input width is set from it). Defaults: 10 epochs, batch 128, evaluation batch 256, patience 3.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Kairos.Deep.Lstm.LstmTrainerOptions Lstm { get; init; } = new()
    {
        Training = new Kairos.Deep.Runs.SequenceTrainingOptions { Epochs = 10, BatchSize = 128, EvalBatchSize = 256, EarlyStoppingPatience = 3, LogEvery = 0 },
    };

    /// <summary>
    /// Comparison mode (<c>compare:</c>): every family named here is trained on the same enriched dataset and reported beside the
    /// chosen <see cref="Model"/> on the same test rows (ROC-AUC, log loss, Brier, ECE, paired bootstrap intervals of the
    /// difference); the gate judges <see cref="Model"/> only. Empty: no comparison. Like <see cref="Lstm"/>, it names the run
    /// (<see cref="PipelineRun.RunId"/>) only when used, so the ids of runs that use neither stay as they were.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<DeepModelKind> Compare { get; init; } = [];

    /// <summary>True when the LSTM is trained: <c>model: lstm</c> or named in <c>compare:</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool UsesLstm => Model == DeepModelKind.Lstm || Compare.Contains(DeepModelKind.Lstm);

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

    /// <summary>
    /// The model whose probability replay trades on (<c>replay.p_long</c>, <see cref="BundleReplayOptions.Settings.PLong"/>):
    /// auto (default) is the model each replayed bundle's gate judged, as <c>kairos replay</c> and <c>serve</c> choose it.
    /// </summary>
    public PLongChoice ReplayPLong { get; init; } = BundleReplayOptions.Settings.PLong.Default;

    /// <summary>Rules of the backtest of the candidate's test predictions (section <c>backtest</c>, docs/backtest.md).</summary>
    public BacktestOptions Backtest { get; init; } = new();

    /// <summary>
    /// The replay options with the spread the dataset used unless <c>replay.constant_spread_bps</c> says otherwise: a dataset
    /// with <c>spread.source: constant</c> gives its <c>constant_bps</c>, one with <c>absent</c> 0, <c>column</c> the bars' own.
    /// </summary>
    public ReplayOptions EffectiveReplay => Replay.ConstantSpreadBps is not null ? Replay : Dataset.SpreadSource switch
    {
        SpreadSource.Constant => Replay with { ConstantSpreadBps = Dataset.SpreadConstantBps },
        SpreadSource.Absent => Replay with { ConstantSpreadBps = 0 },
        _ => Replay,
    };

    /// <summary>The backtest options with the dataset's spread unless <c>backtest.constant_spread_bps</c> says otherwise (as <see cref="EffectiveReplay"/>).</summary>
    public BacktestOptions EffectiveBacktest => BacktestInputs.WithDatasetSpread(Backtest, Dataset);

    /// <summary>Walk-forward retraining of the whole pipeline (section <c>walkforward:</c>); null: none.</summary>
    public WalkForwardOptions? WalkForward { get; init; }
}
