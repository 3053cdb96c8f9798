using System.Globalization;
using Kairos.Backtest;
using Kairos.Bundles;
using Kairos.Calibration;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Features;
using Kairos.Replay;
using Kairos.Search;
using Kairos.Snapshots;
using Kairos.Trees;
using YamlDotNet.RepresentationModel;
using Kairos.Search.Samplers;

namespace Kairos.Pipeline;

/// <summary>
/// Reads the <c>kairos run</c> YAML (docs/run.md) with the dataset config's machinery: unknown keys and
/// invalid values are all reported together, each with its dotted key and line, in one <see cref="ConfigException"/>.
/// Relative paths are resolved against the directory of the config file.
/// </summary>
public static class RunConfigLoader
{
    public static RunConfig LoadFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ConfigException(path, ["file not found"]);
        return Parse(File.ReadAllText(full), full);
    }

    public static RunConfig Parse(string yaml, string configFile)
    {
        const string settings = "settings (input, dataset, trees, hybrid, gate, registry, out, replay, walkforward)";
        var rootNode = YamlSection.ParseDocument(yaml, configFile, settings)
            ?? throw new ConfigException(configFile, [$"the document must be a mapping of {settings}"]);
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(configFile))!;
        var problems = new List<string>();
        var root = new YamlSection(rootNode, "", problems);
        string Resolve(string p) => Path.GetFullPath(Path.Combine(baseDir, p));

        var input = root.Section("input");
        // A link such as snapshots/current is resolved now: the run (and its id) is about the snapshot it names today.
        var snapshotDir = input.Scalar("snapshot") is { } sd ? SnapshotLink.Resolve(Resolve(sd)) : null;
        var files = input.StringList("files") ?? (input.Scalar("file") is { } one ? [one] : null);
        if (snapshotDir is null && (files is null || files.Count == 0))
            input.Report("files", "required: the bar file(s) to snapshot (paths relative to the config file), or snapshot: an existing snapshot directory");
        var inputs = (files ?? []).Select(Resolve).ToList();
        foreach (var f in inputs.Where(f => !File.Exists(f))) input.Report("files", $"{f} does not exist");
        var askFiles = input.StringList("ask_files");
        var asks = askFiles?.Select(Resolve).ToList();
        if (asks is not null && asks.Count != inputs.Count)
            input.Report("ask_files", $"give one ask file beside each of the {inputs.Count} file(s), got {asks.Count}");
        foreach (var f in (asks ?? []).Where(f => !File.Exists(f))) input.Report("ask_files", $"{f} does not exist");
        var (symbol, symbols, inputSymbols) = Symbols(input, snapshotDir is null ? inputs.Count : null);
        var read = new BarReadOptions
        {
            Format = input.Enum("format", BarFileFormat.Auto),
            TimeZone = input.Scalar("timezone"),
            TimeFormat = input.Scalar("time_format"),
            PointSize = input.Scalar("point_size") is null ? null : input.Double("point_size", 0, 0, 1e6, minExclusive: true),
            BarSize = BarSize(input, problems),
            Repair = input.Bool("repair", false),
        };
        if (snapshotDir is not null)
            foreach (var key in new[] { "files", "file", "ask_files", "format", "timezone", "time_format", "point_size", "bar_size", "repair" }.Where(k => input.Node(k) is not null))
                input.Report(key, "not with input.snapshot: the snapshot's bars were read and checked when it was created");
        var snapshotSymbols = snapshotDir is null ? new List<Snapshots.SnapshotSymbol>() : SnapshotEntries(snapshotDir, symbols, input, input.Node("symbols") is null ? "symbol" : "symbols");
        input.ReportUnknownKeys();
        problems.AddRange(read.Problems().Select(p => "input." + p));

        var (dataset, datasetFile) = Dataset(root, Resolve, problems);

        var trees = root.Section("trees");
        var ts = new GbdtStageOptions();
        var tp = new GbdtParameters();
        var treeOptions = ts with
        {
            Mode = trees.Enum("mode", ts.Mode),
            Calibration = trees.Enum("calibration", ts.Calibration),
            Folds = trees.Int(GbdtStageOptions.Settings.Folds),
            EnsembleSize = trees.Int(GbdtStageOptions.Settings.Ensemble),
            Parameters = tp with
            {
                Seed = trees.Int(GbdtParameters.Settings.Seed),
                MaxIterations = trees.Int(GbdtParameters.Settings.MaxIterations),
            },
        };
        // auto by default: decided at every search trial and at the final fit from the cores free then (docs/run.md).
        var treeThreads = trees.Threads("threads");
        var search = new GbdtSearchOptions
        {
            Trials = trees.Int("trials", 0, 0, 100_000),
            Seed = trees.Int("search_seed", 0, 0, int.MaxValue),
            Sampler = trees.Enum("sampler", SamplerKind.Tpe),
            Objective = trees.Enum("search_objective", GbdtSearchObjectiveKind.Folds),
            ObjectiveFolds = trees.Int(GbdtSearchOptions.Settings.SearchFolds),
            MaxPbo = trees.Double(GbdtSearchOptions.Settings.MaxPbo),
        };
        trees.ReportUnknownKeys();
        problems.AddRange(treeOptions.Validate().Concat(search.Validate()).Select(p => "trees: " + p));

        var hybridSection = root.Section("hybrid");
        var hybridSource = hybridSection.Enum("data_source", TrainingDataSource.Auto);
        var hybrid = Hybrid(hybridSection, problems);
        var model = root.Enum("model", DeepModelKind.Hybrid);
        var tftSection = root.Section("tft");
        var tftSource = tftSection.Enum("data_source", TrainingDataSource.Auto);
        var tft = Tft(tftSection, problems);
        var lstmSection = root.Section("lstm");
        var lstmSource = lstmSection.Enum("data_source", TrainingDataSource.Auto);
        var lstm = Lstm(lstmSection, problems);
        var compare = Compare(root, problems);

        var eval = root.Section("evaluation");
        var ev = new EvaluationOptions();
        var evaluation = ev with
        {
            Threshold = eval.Double(EvaluationOptions.Settings.Threshold),
            CalibrationBins = eval.Int(EvaluationOptions.Settings.Bins),
            BootstrapResamples = eval.Int(EvaluationOptions.Settings.Bootstrap),
            MaxThreads = 2,
        };
        eval.ReportUnknownKeys();

        var gate = root.Section("gate");
        var g = new PromotionGateOptions();
        var gateOptions = g with
        {
            MinPrAucGain = gate.Double(PromotionGateOptions.Settings.MinPrAucGain),
            MinBrierDrop = gate.Double(PromotionGateOptions.Settings.MinBrierDrop),
            EceTolerance = gate.Double(PromotionGateOptions.Settings.EceTolerance),
            BeyondNoise = gate.Bool("beyond_noise", g.BeyondNoise),
            AllowDifferentData = gate.Bool("allow_different_data", g.AllowDifferentData),
        };
        gate.ReportUnknownKeys();

        var latency = root.Section("latency");
        var l = new BundleLatencyOptions();
        var latencyOptions = l with { Samples = latency.Int(BundleLatencyOptions.Settings.Samples), WarmUp = latency.Int(BundleLatencyOptions.Settings.WarmUp) };
        latency.ReportUnknownKeys();

        var replay = root.Section("replay");
        var r = new ReplayOptions();
        var window = TimeSpan.FromDays(14);
        if (replay.Scalar("window") is { } w)
        {
            if (ReplayTime.TryParseDuration(w, out var span)) window = span;
            else replay.Report("window", $"'{w}' is not a duration such as 1w, 3d, 12h or 90m");
        }
        var replayOptions = r with
        {
            LongThreshold = replay.Double(ReplayOptions.Settings.LongThreshold),
            ShortThreshold = replay.Double(ReplayOptions.Settings.ShortThreshold),
            AllowShort = replay.Bool("allow_short", r.AllowShort),
            Permutations = replay.Int(ReplayOptions.Settings.Permutations),
            ConstantSpreadBps = replay.Scalar("constant_spread_bps") is null ? null : replay.Double(ReplayOptions.Settings.ConstantSpreadBps),
            CommissionBps = replay.Double(ReplayOptions.Settings.CommissionBps),
            SlippageBps = replay.Double(ReplayOptions.Settings.SlippageBps),
        };
        var pLong = replay.Choice(BundleReplayOptions.Settings.PLong);
        replay.ReportUnknownKeys();
        problems.AddRange(replayOptions.Validate().Select(p => "replay: " + p));

        var backtest = BacktestOptionsLoader.Read(root.Node("backtest") as YamlMappingNode, "backtest", problems);
        if (root.Node("backtest") is { } bt && bt is not YamlMappingNode)
            problems.Add($"backtest (line {bt.Start.Line}): expected a mapping of backtest rules (docs/backtest.md)");
        if (dataset is not null) problems.AddRange(SpreadProblems(inputs, asks, read, dataset));
        if (dataset is { SpreadSource: SpreadSource.Column })
            foreach (var entry in snapshotSymbols.Where(e => e is { HasSpread: false, HasAsk: false }))
                problems.Add($"dataset.spread.source: 'column', but snapshot {snapshotDir} has no spread for {entry.Symbol}; set dataset.spread.source to 'constant' (with spread.constant_bps) or 'absent'");
        if (dataset is { Symbols.Count: > 0 } && symbols.Count > 0 && !dataset.Symbols.Order(StringComparer.Ordinal).SequenceEqual(symbols.Order(StringComparer.Ordinal)))
            problems.Add($"dataset.symbols: [{string.Join(", ", dataset.Symbols)}] differs from the input's symbols [{string.Join(", ", symbols)}]; the run builds its dataset from the input's symbols: remove dataset.symbols or list the same symbols");
        var walkForward = WalkForwardConfigReader.Read(root, dataset, problems);
        if (walkForward is not null && model != DeepModelKind.Hybrid)
            problems.Add($"model: '{model.ToString().ToLowerInvariant()}' with walkforward: the walk-forward windows retrain the hybrid only; remove walkforward or use model: hybrid");

        var registry = root.Scalar("registry");
        if (string.IsNullOrWhiteSpace(registry)) root.Report("registry", "required: the registry directory (created by the first promotion)");
        var output = root.Scalar("out");
        if (string.IsNullOrWhiteSpace(output)) root.Report("out", "required: the root directory of every artifact");
        else if (File.Exists(Resolve(output))) root.Report("out", $"{Resolve(output)} is a file, not a directory");
        root.ReportUnknownKeys();

        if (problems.Count > 0) throw new ConfigException(configFile, problems);
        return new RunConfig
        {
            ConfigFile = Path.GetFullPath(configFile),
            Inputs = snapshotDir is null ? inputs : [],
            Snapshot = snapshotDir,
            AskInputs = asks is { Count: > 0 } ? asks : null,
            Symbol = symbol!,
            Symbols = symbols,
            InputSymbols = snapshotDir is null ? inputSymbols : null,
            Read = read,
            Dataset = dataset!,
            DatasetConfigFile = datasetFile,
            Trees = treeOptions,
            TreesThreads = treeThreads,
            Search = search,
            Hybrid = hybrid,
            HybridDataSource = hybridSource,
            LstmDataSource = lstmSource,
            TftDataSource = tftSource,
            Model = model,
            Tft = tft,
            Lstm = lstm,
            Compare = compare,
            Evaluation = evaluation,
            Gate = gateOptions,
            Latency = latencyOptions,
            Registry = Resolve(registry!),
            Out = Resolve(output!),
            ReplayWindow = window,
            Replay = replayOptions,
            ReplayPLong = pLong,
            Backtest = backtest,
            WalkForward = walkForward,
        };
    }

    /// <summary>
    /// The run's symbols: <c>input.symbol</c> (one), or <c>input.symbols</c>: with bar files one symbol per file (the same
    /// length as <c>files</c>; a symbol given twice joins its files, as several files of one <c>symbol</c> do), with
    /// <c>input.snapshot</c> the snapshot's symbols to train on (each once). Returns the first symbol, the distinct symbols
    /// in order of first appearance, and the symbol of each file (null with <c>input.symbol</c>).
    /// </summary>
    /// <param name="files">The number of bar files, or null with <c>input.snapshot</c>.</param>
    private static (string? First, IReadOnlyList<string> Distinct, IReadOnlyList<string>? PerFile) Symbols(YamlSection input, int? files)
    {
        var one = input.Scalar("symbol");
        var list = input.StringList("symbols");
        if (one is not null && list is not null)
        {
            input.Report("symbols", "give symbol: (one symbol) or symbols: (several), not both");
            return (null, [], null);
        }
        if (list is null)
        {
            if (string.IsNullOrWhiteSpace(one))
            {
                input.Report("symbol", "required: the symbol of the bars, e.g. EURUSD (or symbols: [EURUSD, XAUUSD], one per file, for one model on several symbols)");
                return (null, [], null);
            }
            return (one, [one], null);
        }
        var blank = list.Select((x, i) => (x, i)).Where(p => string.IsNullOrWhiteSpace(p.x)).ToList();
        foreach (var (_, i) in blank) input.Report("symbols", $"entry {i + 1} is empty: name the symbol of the bars");
        if (list.Count == 0) input.Report("symbols", "is empty: name the symbol of each file, e.g. [EURUSD, XAUUSD]");
        if (files is { } n && list.Count != n)
            input.Report("symbols", $"give one symbol per file: {n} file(s) in input.files, {list.Count} symbol(s) in input.symbols");
        if (files is null)
            foreach (var twice in list.GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1))
                input.Report("symbols", $"'{twice.Key}' is listed {twice.Count()} times; with input.snapshot list each symbol once");
        if (blank.Count > 0 || list.Count == 0) return (null, [], null);
        return (list[0], list.Distinct(StringComparer.Ordinal).ToList(), list);
    }

    /// <summary>The manifest entries of <paramref name="symbols"/> in the snapshot <c>input.snapshot</c> names; a symbol it lacks, or a snapshot that does not open, is reported under <paramref name="key"/>.</summary>
    private static List<Snapshots.SnapshotSymbol> SnapshotEntries(string directory, IReadOnlyList<string> symbols, YamlSection input, string key)
    {
        try
        {
            var snapshot = Snapshot.Open(directory);
            var entries = new List<Snapshots.SnapshotSymbol>();
            foreach (var symbol in symbols)
            {
                var entry = snapshot.Manifest.Symbols.FirstOrDefault(s => s.Symbol == symbol);
                if (entry is null) input.Report(key, $"snapshot {snapshot.Id} has no symbol '{symbol}'; it has [{string.Join(", ", snapshot.Symbols)}]");
                else entries.Add(entry);
            }
            return entries;
        }
        catch (VerificationException e)
        {
            input.Report("snapshot", string.Join("; ", e.Failures));
            return [];
        }
    }

    /// <summary>
    /// A dataset that takes its spread from the bars (<c>spread.source: column</c>) over bar files without one fails late in the
    /// dataset stage; found here, from the files' headers, before any stage runs.
    /// </summary>
    /// <summary>A bar file without a spread, for a dataset that takes its spread from the bars (an ask file beside it gives one).</summary>
    private static IEnumerable<string> SpreadProblems(IReadOnlyList<string> inputs, IReadOnlyList<string>? asks, BarReadOptions read, DatasetConfig dataset)
    {
        if (dataset.SpreadSource != SpreadSource.Column || asks is { Count: > 0 }) yield break;
        foreach (var file in inputs.Where(File.Exists))
            if (BarFileHeader.HasSpread(file, read.Format) == false)
                yield return $"dataset.spread.source: 'column', but {file} has no spread (no spread or ask column); set dataset.spread.source to 'constant' (with spread.constant_bps, the spread you assume) or 'absent'";
    }

    /// <summary>The dataset settings: a path to a dataset YAML (docs/config.md), or the same keys inline.</summary>
    private static (DatasetConfig?, string?) Dataset(YamlSection root, Func<string, string> resolve, List<string> problems)
    {
        switch (root.Node("dataset"))
        {
            case null:
                return (DatasetConfigLoader.Read(null, "dataset", problems), null);
            case YamlMappingNode inline:
                return (DatasetConfigLoader.Read(inline, "dataset", problems), null);
            case YamlScalarNode { Value: { } relative } scalar:
                var file = resolve(relative);
                if (!File.Exists(file))
                {
                    problems.Add($"dataset (line {scalar.Start.Line}): dataset config {file} does not exist");
                    return (null, null);
                }
                try
                {
                    return (DatasetConfigLoader.LoadFile(file), file);
                }
                catch (ConfigException e)
                {
                    problems.AddRange(e.Problems.Select(p => $"dataset ({file}): {p}"));
                    return (null, null);
                }
            case var other:
                problems.Add($"dataset (line {other.Start.Line}): expected the path of a dataset YAML or a mapping of dataset settings");
                return (null, null);
        }
    }

    private static HybridTrainerOptions Hybrid(YamlSection h, List<string> problems)
    {
        var d = new HybridTrainerOptions();
        var m = d.Model;
        var options = d with
        {
            Training = Training(h, d.Training),
            Model = m with
            {
                DModel = h.Int(HybridModelOptions.Settings.DModel),
                Heads = h.Int(HybridModelOptions.Settings.Heads),
                Layers = h.Int(HybridModelOptions.Settings.Layers),
                FeedForward = h.Int(HybridModelOptions.Settings.FeedForward),
                Dropout = h.Double(HybridModelOptions.Settings.Dropout),
                Fusion = h.Enum("fusion", m.Fusion),
            },
        };
        h.ReportUnknownKeys();
        problems.AddRange(options.Problems().Select(p => "hybrid: " + p));
        return options;
    }

    private static Kairos.Deep.Tft.TftTrainerOptions Tft(YamlSection t, List<string> problems)
    {
        var d = new Kairos.Deep.Tft.TftTrainerOptions();
        var m = d.Model;
        var options = d with
        {
            Training = Training(t, d.Training),
            Model = m with
            {
                Hidden = t.Int(Kairos.Deep.Tft.TftModelOptions.Settings.Hidden),
                Heads = t.Int(Kairos.Deep.Tft.TftModelOptions.Settings.Heads),
                LstmLayers = t.Int(Kairos.Deep.Tft.TftModelOptions.Settings.LstmLayers),
                Dropout = t.Double(Kairos.Deep.Tft.TftModelOptions.Settings.Dropout),
            },
        };
        t.ReportUnknownKeys();
        problems.AddRange(options.Problems().Select(p => "tft: " + p));
        return options;
    }

    /// <summary>
    /// The training defaults of the run config's <c>lstm:</c> section: the TFT's (10 epochs, batch 128, evaluation batch 256,
    /// patience 3), not <c>kairos train lstm</c>'s seed-003 schedule of 30 epochs after a pretrained encoder.
    /// </summary>
    public static SequenceTrainingOptions LstmTraining { get; } = new() { Epochs = 10, BatchSize = 128, EvalBatchSize = 256, EarlyStoppingPatience = 3 };

    /// <summary>The LSTM classifier's settings (section <c>lstm:</c>): the shared training keys, <c>hidden</c>, <c>layers</c>, <c>dropout</c>, <c>head_hidden</c> (and <c>data_source</c>, read apart: it is no part of the options).</summary>
    private static LstmTrainerOptions Lstm(YamlSection l, List<string> problems)
    {
        var d = new LstmTrainerOptions { Training = LstmTraining };
        var e = d.Encoder;
        var options = d with
        {
            Training = Training(l, d.Training),
            Encoder = e with
            {
                HiddenSize = l.Int(BiLstmEncoderOptions.Settings.Hidden),
                Layers = l.Int(BiLstmEncoderOptions.Settings.Layers),
                Dropout = l.Double(BiLstmEncoderOptions.Settings.Dropout),
            },
            HeadHidden = l.Int(LstmTrainerOptions.Settings.HeadHidden),
        };
        l.ReportUnknownKeys();
        problems.AddRange(options.Training.Problems(settingNames: true).Concat(options.Encoder.Problems()).Select(p => "lstm: " + p));
        return options;
    }

    /// <summary>The families of <c>compare:</c> (names as <c>model:</c> takes them), in the order given; an unknown name is a problem.</summary>
    private static IReadOnlyList<DeepModelKind> Compare(YamlSection root, List<string> problems)
    {
        var names = root.StringList("compare") ?? [];
        var kinds = new List<DeepModelKind>();
        foreach (var name in names)
        {
            var kind = Enum.GetValues<DeepModelKind>().Where(k => string.Equals(YamlSection.Snake(k.ToString()), name, StringComparison.OrdinalIgnoreCase)).Cast<DeepModelKind?>().FirstOrDefault();
            if (kind is { } k) kinds.Add(k);
            else problems.Add($"compare: '{name}' is not one of {string.Join(", ", Enum.GetValues<DeepModelKind>().Select(v => YamlSection.Snake(v.ToString())))}");
        }
        return kinds;
    }

    /// <summary>
    /// The training keys every deep-model section shares (seed, epochs, batch sizes, lr, weight decay, limit_samples, threads,
    /// patience, log_every), read with the family's defaults <paramref name="family"/> (logging per epoch: <c>log_every</c> 0).
    /// </summary>
    private static SequenceTrainingOptions Training(YamlSection s, SequenceTrainingOptions family)
    {
        var t = TrainingSettings(family);
        return t.Defaults with
        {
            Seed = s.Int(t.Seed),
            Epochs = s.Int(t.Epochs),
            BatchSize = s.Int(t.BatchSize),
            EvalBatchSize = s.Int(t.EvalBatchSize),
            LearningRate = s.Double(t.LearningRate),
            WeightDecay = s.Double(t.WeightDecay),
            LimitSamples = s.Scalar("limit_samples") is null ? null : s.Int("limit_samples", 1, 1, int.MaxValue),
            Threads = s.Threads("threads"),
            EarlyStoppingPatience = s.Int(t.Patience),
            LogEvery = s.Int(t.LogEvery),
        };
    }

    /// <summary>The shared training settings of a deep section of the run config: the family's defaults, logging once per epoch.</summary>
    public static SequenceTrainingSettings TrainingSettings(SequenceTrainingOptions family) => new(family with { LogEvery = 0 });

    private static TimeSpan? BarSize(YamlSection input, List<string> problems)
    {
        if (input.Scalar("bar_size") is not { } text) return null;
        if (BarSizeText.TryParse(text, out var size)) return size;
        input.Report("bar_size", $"'{text}' is not a bar size (examples: 1m, 5m, 1h, M5, H1)");
        return null;
    }
}
