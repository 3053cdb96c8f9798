using Kairos.Artifacts;
using System.Globalization;
using System.Text.Json;
using Kairos.Backtest;
using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Deep.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Tft;
using Kairos.Deep.Replay;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Features;
using Kairos.Promotion;
using Kairos.Registry;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Trees;

namespace Kairos.Pipeline;

/// <summary>The stages of <see cref="PipelineRun.Execute"/>, in pipeline order.</summary>
public sealed partial class PipelineRun
{
    private string Out(string kind) => Path.Combine(_config.Out, kind);

    private Step<Snapshot> CreateSnapshot()
    {
        if (_config.Snapshot is { } given)
        {
            var existing = Snapshot.Open(given);
            existing.VerifyOrThrow();
            var entries = _config.Symbols.Select(symbol => existing.Manifest.Symbols.FirstOrDefault(x => x.Symbol == symbol)
                ?? throw new DataException(Path.Combine(given, SnapshotManifest.FileName), null, "symbols", "unknown-symbol",
                    $"snapshot {existing.Id} has no symbol '{symbol}'; it has [{string.Join(", ", existing.Symbols)}]")).ToList();
            return Made(existing, reused: true, existing.Id, existing.Directory,
                $"{existing.Id}: {string.Join(", ", entries.Select(e => $"{e.Rows:N0} bars of {e.Symbol}"))} (input.snapshot, verified)");
        }
        var inputs = _config.Inputs.Select((f, i) => new SnapshotInput(f, _config.InputSymbols?[i] ?? _config.Symbol, _config.AskInputs?[i])).ToArray();
        var result = new SnapshotCreator(_options.Time).Create(inputs, _config.Read, Out("snapshots"), _progress);
        var s = result.Snapshot;
        var rows = s.Manifest.Symbols.Sum(x => x.Rows);
        return Made(s, !result.Created, s.Id, s.Directory, $"{s.Id}: {rows:N0} bars of {string.Join(", ", s.Symbols)}");
    }

    private Step<DatasetBuildResult> BuildDataset(Snapshot snapshot)
    {
        var source = DatasetSource.FromSnapshot(snapshot, _config.Symbols);
        var built = DatasetBuilder.Build(source, _config.Dataset, Out("datasets"), new DatasetBuildOptions
        {
            ConfigFile = _config.DatasetConfigFile ?? _config.ConfigFile,
            CodeVersion = _options.CodeVersion,
            Time = _options.Time,
            Progress = _progress,
        });
        var m = built.Metadata;
        var splits = string.Join(", ", m.Splits.Where(x => x.Name is "train" or "val" or "test").Select(x => $"{x.Name} {x.Rows:N0}"));
        return Made(built, built.AlreadyExisted, m.Id, built.Directory, $"{m.Id}: {splits} samples, contract {m.FeatureContractHash}");
    }

    private Step<GbdtRunReport> TrainTrees(DatasetBuildResult dataset)
    {
        var report = GbdtRun.Execute(new GbdtRunOptions
        {
            Dataset = dataset.Directory,
            Out = Out("trees"),
            EnrichedOut = Out("datasets"),
            Stage = _config.Trees,
            Search = _config.Search,
            Threads = _config.TreesThreads,
            Budget = _threads,
            CodeVersion = _options.CodeVersion,
        }, _options.Time, _progress);
        var test = report.Metadata.Metrics.GetValueOrDefault("test");
        var auc = test?.RocAuc is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
        var search = report.Metadata.Search is { } s ? $", search {s.Complete} complete / {s.Pruned} pruned" : ", no search";
        if (report.Metadata.SearchCheck is { FellBackToDefaults: true } check) search += $"; default parameters: {check.Note}";
        var threads = report.Reused ? "" : $", {report.Metadata.Threads?.Threads} LightGBM thread(s) ({report.Metadata.Threads?.Setting})";
        return Made(report, report.Reused, report.Metadata.Id, report.ArtifactDirectory, $"{report.Metadata.Id}: test ROC-AUC (p_cal) {auc}{search}{threads}")
            with { Threads = report.Metadata.Threads };
    }

    /// <summary>The deep-model stage: the model of <c>model:</c> (hybrid, TFT or LSTM) on the trees' enriched dataset, reused when its run is complete.</summary>
    private Step<DeepRunResult> TrainDeep(GbdtRunReport trees) => TrainFamily(_config.Model, trees);

    /// <summary>
    /// The deep-model stage of <paramref name="kind"/> (the one place that maps a family to its trainer and settings): the run
    /// is named by the enriched dataset and the family's settings (neither the log frequency nor the threads name it: threads:
    /// auto must not make ids differ between machines; the hash sees one thread, the setting every earlier run of the example
    /// had, so their ids stand). The LSTM reads every sequence feature of the enriched dataset (the window a bundle's pipeline builds).
    /// </summary>
    private Step<DeepRunResult> TrainFamily(DeepModelKind kind, GbdtRunReport trees)
    {
        var enriched = trees.EnrichedDatasetDirectory;
        var name = Path.GetFileName(enriched);
        Action<string>? log = _options.Observer is { } o ? o.Log : null;
        switch (kind)
        {
            case DeepModelKind.Tft:
            {
                var options = _config.Tft;
                return DeepStage(kind, $"kairos.tft/1\n{name}\n{JsonSerializer.Serialize(options with { Training = options.Training with { LogEvery = 0, Threads = 1 } }, RunJson.Options)}", (run, resume) =>
                {
                    using var data = HybridDatasetLoader.Load(enriched, new HybridDatasetOptions { CacheDirectory = Path.GetDirectoryName(run.FinalPath), DataSource = _config.TftDataSource });
                    var trained = new TftTrainer(options, _options.Time, _threads).Train(data, run, resume, requireCalibration: true, log, _progress);
                    return (trained.Metrics, trained.Model.ModelVariant);
                });
            }
            case DeepModelKind.Lstm:
            {
                var features = DatasetReader.Open(enriched).Metadata.SequenceFeatures;
                var options = _config.Lstm with { Encoder = _config.Lstm.Encoder with { InputSize = features.Count } };
                return DeepStage(kind, $"kairos.lstm/1\n{name}\n{string.Join(",", features)}\n{JsonSerializer.Serialize(options with { Training = options.Training with { LogEvery = 0, Threads = 1 } }, RunJson.Options)}", (run, resume) =>
                {
                    using var data = SequenceDatasetLoader.Load(enriched, new SequenceDatasetOptions
                    {
                        Features = features, PredictionSplits = ["val", "test"], CacheDirectory = Path.GetDirectoryName(run.FinalPath), DataSource = _config.LstmDataSource,
                    });
                    var trained = new LstmTrainer(options, _options.Time, _threads).Train(data, pretrained: null, run, resume, log, _progress);
                    return (trained.Metrics, trained.Model.ModelVariant);
                });
            }
            default:
            {
                var options = _config.Hybrid;
                return DeepStage(kind, $"kairos.hybrid/1\n{name}\n{JsonSerializer.Serialize(options with { Training = options.Training with { LogEvery = 0, Threads = 1 } }, RunJson.Options)}", (run, resume) =>
                {
                    using var data = HybridDatasetLoader.Load(enriched, new HybridDatasetOptions { CacheDirectory = Path.GetDirectoryName(run.FinalPath), DataSource = _config.HybridDataSource });
                    var trained = new HybridTrainer(options, _options.Time, _threads).Train(data, run, resume, requireCalibration: true, log, _progress);
                    return (trained.Metrics, trained.Bundle.ModelVariant);
                });
            }
        }
    }

    /// <summary>
    /// A deep-model run at <c>&lt;family&gt;/&lt;first 16 hex of SHA-256(<paramref name="key"/>)&gt;</c>: reused when complete (metrics.json and
    /// bundle_metadata.json), resumed from its <c>.partial</c> checkpoints when interrupted, trained by <paramref name="train"/> otherwise.
    /// </summary>
    private Step<DeepRunResult> DeepStage(DeepModelKind kind, string key, Func<RunDirectory, bool, (TrainingMetrics Metrics, string Variant)> train)
    {
        var id = Hash(key)[..16];
        var dir = Path.Combine(Out(kind.ToString().ToLowerInvariant()), id);
        var metadata = Path.Combine(dir, DeepModelFile.MetadataFile);
        if (File.Exists(Path.Combine(dir, "metrics.json")) && File.Exists(metadata))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(metadata));
            var done = new DeepRunResult(kind, dir, RunJson.Read<TrainingMetrics>(Path.Combine(dir, "metrics.json")), document.RootElement.GetProperty("model_variant").GetString()!);
            return Made(done, true, id, dir, DeepDetail(done)) with { Threads = done.Metrics.Threads };
        }
        var resume = Directory.Exists(dir + ".partial");
        RunDirectory.Check(dir, resume);
        var (metrics, variant) = train(RunDirectory.Open(dir, resume), resume);
        var result = new DeepRunResult(kind, dir, metrics, variant);
        return new Step<DeepRunResult>(result, resume ? RunStageStatus.Resumed : RunStageStatus.Done, id, result.RunDirectory, DeepDetail(result), result.Metrics.Threads);
    }

    /// <summary>
    /// Comparison mode: every family of <c>compare:</c> trained on the same enriched dataset (the chosen one is the deep-model
    /// stage's run; the others are content-addressed runs of their own, reused when complete), their <c>predictions_test.csv</c>
    /// side by side with the chosen model's (<see cref="ModelComparison"/>), written to <c>comparisons/&lt;id&gt;/comparison.json</c>
    /// and into run.json. The gate does not read it.
    /// </summary>
    private Step<ModelComparison?> CompareModels(GbdtRunReport trees, DeepRunResult chosen)
    {
        if (_config.Compare.Count == 0) return new Step<ModelComparison?>(null, RunStageStatus.Skipped, null, null, "no compare list in the config");
        var runs = _config.Compare.Where(k => k != chosen.Model).Distinct().Select(kind => TrainFamily(kind, trees).Value).ToList();
        string TestFile(DeepRunResult run)
        {
            var file = Path.Combine(run.RunDirectory, PredictionsLocation.FileName("test"));
            if (!File.Exists(file)) throw new DataException(run.RunDirectory, "compare-predictions", $"the {run.Name} run wrote no {PredictionsLocation.FileName("test")}: it cannot be compared");
            return file;
        }
        var files = runs.Select(TestFile).ToList();
        var chosenFile = TestFile(chosen);
        var key = Hash($"kairos.run-compare/1\n{chosen.Name}={SnapshotId.Sha256OfFile(chosenFile)}\n{string.Join("\n", runs.Zip(files, (r, f) => $"{r.Name}={SnapshotId.Sha256OfFile(f)}"))}\n{JsonSerializer.Serialize(_config.Evaluation, EvaluationReportFile.JsonOptions)}")[..16];
        var dir = Path.Combine(Out("comparisons"), key);
        var path = Path.Combine(dir, "comparison.json");
        var reused = File.Exists(path);
        ModelComparison comparison;
        if (reused)
            comparison = RunJson.Read<ModelComparison>(path);
        else
        {
            comparison = ModelComparison.Compare((chosen.Name, PredictionsCsv.Read(chosenFile)), runs.Zip(files, (r, f) => (r.Name, PredictionsCsv.Read(f))).ToList(), _config.Evaluation);
            Directory.CreateDirectory(dir);
            RunJson.Write(path, comparison);
        }
        _state = _state with { Comparison = comparison };
        return Made<ModelComparison?>(comparison, reused, key, dir, ModelComparisonText.Summary(comparison));
    }

    private static string DeepDetail(DeepRunResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Name} {Path.GetFileName(r.RunDirectory)}: {r.Metrics.Epochs.Count} epoch(s) on {r.Metrics.TrainSamples:N0} samples, {r.Metrics.MeanSamplesPerSecond:F0} samples/s{(r.Metrics.Threads is { } t ? $" on {t.Threads} thread(s)" : "")}, loss {r.Metrics.FirstStepLoss:F4} -> {r.Metrics.LastStepLoss:F4}");

    /// <summary>
    /// The candidate's test predictions: the hybrid run's own <c>predictions_test.csv</c> when the trainer writes one,
    /// otherwise the trees' calibrated <c>p_cal</c> on the enriched dataset's test split (the hybrid model has no
    /// batch scorer yet). This is the one place that decides what the gate judges; <c>Head</c> says which model that is (the
    /// gate scores the registry's best with the same one).
    /// </summary>
    private (string File, string Source, PLongChoice Head) CandidatePredictions(GbdtRunReport trees, DeepRunResult hybrid)
    {
        var own = Path.Combine(hybrid.RunDirectory, "predictions_test.csv");
        if (File.Exists(own)) return (own, $"{hybrid.Name} direction head (predictions_test.csv of the {hybrid.Name} run)", PLongChoice.Hybrid);
        var file = Path.Combine(Out("predictions"), $"{Path.GetFileName(trees.EnrichedDatasetDirectory)}_test_p_cal.csv");
        if (!File.Exists(file))
        {
            var split = DatasetReader.Open(trees.EnrichedDatasetDirectory).ReadSplit("test");
            var sessions = split.Int("session_id").Select(s => s >= 0 && s < SessionTable.Names.Count ? SessionTable.Names[s] : s.ToString(CultureInfo.InvariantCulture)).ToArray();
            var vol = split.Int("vol_regime_id").Select(v => v switch { 0 => "LOW", 1 => "MEDIUM", 2 => "HIGH", 3 => "EXTREME", _ => v.ToString(CultureInfo.InvariantCulture) }).ToArray();
            var predictions = new Predictions(file, split.Double("p_cal"), split.Int("y_direction"), sessions, vol, split.Timestamp, split.Symbol);
            PredictionsCsv.Write(file, predictions);
        }
        return (file, $"trees' calibrated p_cal on the test split (the {hybrid.Name} run has no predictions_test.csv)", PLongChoice.Trees);
    }

    private Step<Evaluated> Evaluate(GbdtRunReport trees, DeepRunResult hybrid)
    {
        var (file, source, head) = CandidatePredictions(trees, hybrid);
        var metrics = Path.Combine(hybrid.RunDirectory, "metrics.json");
        var id = Hash($"kairos.run-eval/1\n{SnapshotId.Sha256OfFile(file)}\n{JsonSerializer.Serialize(_config.Evaluation, EvaluationReportFile.JsonOptions)}\n{SnapshotId.Sha256OfFile(metrics)}")[..16];
        var dir = Path.Combine(Out("evaluations"), id);
        var reused = File.Exists(Path.Combine(dir, EvaluationReportFile.FileName));
        if (!reused)
        {
            var report = PredictionsEvaluator.Evaluate(PredictionsCsv.Read(file), _config.Evaluation, _progress, "test");
            EvaluationArtifact.Write(report, dir, LossCurves.Read(metrics));
        }
        var loaded = EvaluationReportFile.Load(Path.Combine(dir, EvaluationReportFile.FileName));
        var m = loaded.Overall;
        return Made(new Evaluated(dir, loaded, source, head), reused, id, dir, string.Create(CultureInfo.InvariantCulture,
            $"{id}: {m.Count:N0} test rows, PR-AUC {m.PrAuc:F4}, Brier {m.Brier:F4}, ECE {m.Ece:F4} ({source})"));
    }

    /// <summary>
    /// The gate against the registry's best (<see cref="PromotionService.Decide"/>: the best re-scored on this candidate's
    /// test rows through its own pipeline, the pair judged by the rules <c>kairos promote</c> applies), decided once per run
    /// and recorded (a re-run reuses the verdict: after this run's promotion the best is the candidate itself).
    /// </summary>
    private Step<GateDecision> Gate(Evaluated evaluation, Snapshot snapshot, GbdtRunReport trees, DeepRunResult hybrid)
    {
        var recorded = _previous?.Stage("gate");
        if (recorded is { Status: RunStageStatus.Done or RunStageStatus.Reused, Key: { } key, Artifact: { } artifact } && key.StartsWith(evaluation.Id, StringComparison.Ordinal)
            && GateDecision.TryLoad(artifact) is { } kept)
            return Made(kept, true, key, artifact, kept.Decision.Reason);

        var gateOptions = JsonSerializer.Serialize(_config.Gate, EvaluationReportFile.JsonOptions);
        // The deep model's direction head (hybrid, TFT or LSTM: each is the bundle's hybrid component, scored by HybridScorer).
        if (evaluation.Head == PLongChoice.Hybrid) TorchRuntime.ConfigureThreads(1);
        var decision = PromotionService.Decide(new PromotionRequest
        {
            Registry = _config.Registry,
            ContractAuthority = _options.ContractAuthority,
            Gate = _config.Gate,
            Evaluation = _config.Evaluation,
            CandidateEvaluation = evaluation.Directory,
            CandidateTreesId = trees.Metadata.Id,
            CandidateRunId = Path.GetFileName(hybrid.RunDirectory),
            Snapshot = snapshot.Directory,
            Symbols = _config.Symbols,
            // The best is scored with the head this candidate is judged on.
            Scoring = new BundleReplayOptions { PLong = evaluation.Head, HybridLoader = HybridScorer.Open },
            ArtifactsRoot = _config.Out,
            ArtifactPrefix = evaluation.Id + "-" + Hash(gateOptions)[..8],
        }, _progress);
        var gateKey = evaluation.Id + "-" + Hash($"{decision.Best ?? "none"}\n{gateOptions}")[..8];
        var saved = new GateDecision(decision).Save(Path.Combine(Out("gates"), gateKey));
        return Made(saved, false, gateKey, saved.Directory, decision.Reason);
    }

    private Step<BuiltBundle> BuildBundle(GbdtRunReport trees, DeepRunResult hybrid, Evaluated evaluation, GateDecision gate, WalkForwardResult? walkForward)
    {
        var draft = BundleSources.Read(new BundleSourceOptions
        {
            Dataset = trees.EnrichedDatasetDirectory,
            Trees = trees.ArtifactDirectory,
            Run = hybrid.RunDirectory,
            Evaluation = evaluation.Directory,
            GateVerdict = gate.VerdictFile,
            GitCommit = _options.CodeVersion,
            Notes = $"kairos run; gate: {gate.Decision.Reason}",
        });
        draft = draft with { Card = draft.Card with { OutOfTime = walkForward?.Summary.Estimate } };
        var built = BundleBuilder.Build(draft, new BundleBuildOptions { OutputRoot = Out("bundles"), ContractAuthority = _options.ContractAuthority, Time = _options.Time }, _progress);
        return Made(built, built.AlreadyExisted, built.BundleId, built.Directory, $"{built.BundleId}: contract {built.FeatureContractHash}, {draft.Files.Count} component files");
    }

    private Step<BundleVerification> Verify(BuiltBundle bundle, DatasetBuildResult dataset)
    {
        var result = BundleVerifier.Verify(bundle.Directory, new BundleVerifyOptions
        {
            ExpectedContractHash = dataset.Metadata.FeatureContractHash,
            ContractAuthority = _options.ContractAuthority,
        }).ThrowIfFailed();
        return Made(result, bundle.AlreadyExisted, bundle.BundleId, bundle.Directory, $"{result.Checks.Count} checks passed, expected contract {dataset.Metadata.FeatureContractHash}");
    }

    private Step<Bundle> MeasureLatency(BundleVerification verified)
    {
        var verify = new BundleVerifyOptions { ContractAuthority = _options.ContractAuthority };
        var bundle = Bundle.Open(verified.Directory, verify);
        var reused = bundle.Card.LatencyMs is not null;
        if (!reused)
        {
            TorchRuntime.ConfigureThreads(1);
            LatencyMeasurement measurement;
            using (var hybrid = HybridLatencyModel.Open(bundle))
                measurement = BundleLatencyBenchmark.Run(bundle, hybrid, _config.Latency, _options.Time);
            BundleBuilder.ReplaceCard(bundle.Directory, c => c with { LatencyMs = measurement.FullPathMs, LatencyDetail = measurement.Detail }, _options.ContractAuthority);
            bundle = Bundle.Open(verified.Directory, verify);
        }
        var l = bundle.Card.LatencyMs;
        // Keyed by the bundle's id: the backtest stage writes into the card later, which changes its content hash, not what was measured.
        return Made(bundle, reused, bundle.Metadata.BundleId, bundle.Directory, l is null ? "no full-path latency"
            : string.Create(CultureInfo.InvariantCulture, $"full path p50 {l.P50:F3} ms, p95 {l.P95:F3} ms, p99 {l.P99:F3} ms (load {bundle.Card.LatencyDetail?.Machine.LoadAverage1m:F2})"));
    }

    /// <summary>
    /// Replays the last window of each symbol's bars through the previous best (A) and the candidate (B); through the
    /// candidate alone when there is no previous best. One replay directory per symbol; with several symbols they are kept
    /// under <c>replays/&lt;key&gt;/</c> (the stage's artifact).
    /// </summary>
    private Step<IReadOnlyList<SymbolReplay>> Replay(Snapshot snapshot, Bundle candidate, GateDecision gate)
    {
        // The bundle's id, not its content hash: the backtest stage writes its figures into the card after replay, which
        // changes the content hash but not what replay reads.
        // The model each bundle's p_long comes from, as replay resolves it (the candidate's alone when the baseline's is the same).
        var pLong = PLongSelection.Resolve(candidate.Metadata, candidate.Directory, _config.ReplayPLong).Source;
        var pLongKey = pLong.ToString();
        if (gate.Decision.BaselineDirectory is { } baseline && PLongSelection.Resolve(baseline, _config.ReplayPLong).Source is var other && other != pLong) pLongKey += $" (A: {other})";
        var key = Hash($"kairos.run-replay/2\n{candidate.Metadata.BundleId}\n{gate.Decision.BaselineDirectory}\n{snapshot.Id}\n{_config.ReplayWindow}\n{pLongKey}\n{ArtifactJson.Serialize(_config.EffectiveReplay)}{SymbolsKey()}")[..16];
        var recorded = _previous?.Stage("replay");
        if (recorded is { Status: RunStageStatus.Done or RunStageStatus.Reused, Artifact: { } kept } && recorded.Key == key
            && PerSymbol(kept, SymbolReplay.TryLoad, r => r.Symbol) is { } again)
            return Made(again, true, key, kept, ReplaySummary(again));
        var root = SymbolsRoot("replays", key);
        var replayed = RunReplays(snapshot, candidate, gate, root);
        return Made(replayed, false, key, _config.MultiSymbol ? root : replayed[0].Directory, ReplaySummary(replayed));
    }

    /// <summary>Appended to a stage's key when the run has several symbols (a single-symbol run's keys are as they were).</summary>
    private string SymbolsKey() => _config.MultiSymbol ? $"\nsymbols {string.Join(",", _config.Symbols)}" : "";

    /// <summary>Where a per-symbol stage writes: <c>out/&lt;kind&gt;/</c> for one symbol, <c>out/&lt;kind&gt;/&lt;key&gt;/</c> (one directory per symbol inside) for several.</summary>
    private string SymbolsRoot(string kind, string key) => _config.MultiSymbol ? Path.Combine(Out(kind), key) : Out(kind);

    /// <summary>
    /// A per-symbol stage's artifacts read back, in the run's symbol order: the one directory of a single-symbol run, the
    /// directories under the stage's root for several; null when one is missing or unreadable (the stage runs again).
    /// </summary>
    private IReadOnlyList<T>? PerSymbol<T>(string artifact, Func<string, T?> load, Func<T, string> symbolOf) where T : class
    {
        if (!_config.MultiSymbol) return load(artifact) is { } one ? [one] : null;
        if (!Directory.Exists(artifact)) return null;
        var found = Directory.GetDirectories(artifact).Where(d => !Path.GetFileName(d).StartsWith('.')).Select(load).OfType<T>()
            .ToDictionary(symbolOf, StringComparer.Ordinal);
        return _config.Symbols.All(found.ContainsKey) ? _config.Symbols.Select(x => found[x]).ToList() : null;
    }

    private string ReplaySummary(IReadOnlyList<SymbolReplay> replays) =>
        _config.MultiSymbol ? string.Join("; ", replays.Select(r => $"{r.Symbol}: {r.Summary}")) : replays[0].Summary;

    /// <summary>
    /// Streams each symbol's bars through the bundles and writes (or finds) its replay directory under <paramref name="root"/>;
    /// the reports keep their per-bar trace for the plots. A pooled bundle scores each symbol as its <c>symbol_id</c>: the
    /// bundles are opened afresh for each symbol (a predictor's feature state belongs to one symbol).
    /// </summary>
    private IReadOnlyList<SymbolReplay> RunReplays(Snapshot snapshot, Bundle candidate, GateDecision gate, string root)
    {
        var bundles = gate.Decision.BaselineDirectory is { } baseline ? new[] { baseline, candidate.Directory } : [candidate.Directory];
        var options = new BundleReplayOptions { PLong = _config.ReplayPLong, HybridLoader = HybridScorer.OpenOneThread };
        var replays = new List<SymbolReplay>();
        foreach (var symbol in _config.Symbols)
        {
            var predictors = new List<BundlePredictor>();
            try
            {
                foreach (var (path, k) in bundles.Select((p, k) => (p, k)))
                    predictors.Add(BundlePredictor.Open(path, options, bundles.Length == 1 ? null : k == 0 ? "A" : "B"));
                var bars = ReplayArtifacts.ReadBars(snapshot.Directory, symbol, TimeSpan.FromSeconds(predictors[0].Dataset.BarSeconds));
                var window = ReplayArtifacts.Window(bars, null, null, _config.ReplayWindow);
                var reports = new ReplayEngine(_config.EffectiveReplay, _options.Time).Run(bars, predictors, window, _progress);
                if (reports.Count == 1) replays.Add(new SymbolReplay(ReplayArtifacts.WriteReport(root, reports[0]), reports[0], null));
                else
                {
                    var comparison = ReplayComparison.Create(reports[0], reports[1]);
                    replays.Add(new SymbolReplay(ReplayArtifacts.WriteComparison(root, comparison), null, comparison));
                }
            }
            finally
            {
                foreach (var p in predictors) p.Dispose();
            }
        }
        return replays;
    }

    /// <summary>
    /// Backtests the candidate's test predictions (the file the gate judged: the hybrid run's <c>predictions_test.csv</c>)
    /// after costs over the snapshot's bars of the test period (docs/backtest.md), each symbol's predictions on its own bars,
    /// with the dataset's spread unless <c>backtest.constant_spread_bps</c> says otherwise, writes <c>backtests/&lt;id&gt;/</c>
    /// (several symbols: <c>backtests/&lt;key&gt;/&lt;id&gt;/</c> per symbol) and records net expectancy, Sharpe and maximum
    /// drawdown in the bundle's model card (several symbols: <c>backtest_by_symbol</c>).
    /// </summary>
    private Step<Backtested> Backtest(Snapshot snapshot, GbdtRunReport trees, DeepRunResult hybrid, Bundle candidate)
    {
        var (file, source, _) = CandidatePredictions(trees, hybrid);
        var options = _config.EffectiveBacktest;
        var predictionsHash = SnapshotId.Sha256OfFile(file);
        string SymbolKey(string symbol) => Hash($"kairos.run-backtest/1\n{predictionsHash}\n{snapshot.Id}\n{symbol}\n{ArtifactJson.Serialize(options)}")[..16];
        var key = _config.MultiSymbol ? Hash($"kairos.run-backtest/2\n{string.Join("\n", _config.Symbols.Select(SymbolKey))}")[..16] : SymbolKey(_config.Symbol);
        var recorded = _previous?.Stage("backtest");
        var kept = recorded is { Status: RunStageStatus.Done or RunStageStatus.Reused, Artifact: { } dir } && recorded.Key == key
            ? PerSymbol(dir, SymbolBacktest.TryLoad, b => b.Symbol) : null;
        var root = SymbolsRoot("backtests", key);
        IReadOnlyList<SymbolBacktest> results;
        if (kept is not null) results = kept;
        else
        {
            var predictions = PredictionsCsv.Read(file);
            var barSeconds = DatasetReader.Open(trees.EnrichedDatasetDirectory).Metadata.BarSeconds;
            results = _config.Symbols.Select(symbol =>
            {
                var result = BacktestSymbol(snapshot, predictions, symbol, barSeconds, options, source);
                return new SymbolBacktest(BacktestArtifacts.Write(root, SymbolKey(symbol), result), result);
            }).ToList();
        }
        var bySymbol = results.ToDictionary(r => r.Symbol, r => CardBacktest(r.Result, options), StringComparer.Ordinal);
        var card = _config.MultiSymbol ? (One: (ModelCardBacktest?)null, BySymbol: bySymbol) : (One: bySymbol[_config.Symbol], BySymbol: null);
        var bundle = candidate;
        if (candidate.Card.Backtest != card.One || !SameBacktests(candidate.Card.BacktestBySymbol, card.BySymbol))
        {
            BundleBuilder.ReplaceCard(candidate.Directory, c => c with { Backtest = card.One, BacktestBySymbol = card.BySymbol }, _options.ContractAuthority);
            bundle = Bundle.Open(candidate.Directory, new BundleVerifyOptions { ContractAuthority = _options.ContractAuthority });
        }
        var detail = string.Join("; ", results.Select(r =>
        {
            var t = r.Result.Totals;
            return (_config.MultiSymbol ? r.Symbol + ": " : "") + string.Create(CultureInfo.InvariantCulture,
                $"{t.Trades:N0} trades on the test period, net expectancy {(t.ExpectancyBps is { } e ? e.ToString("F2", CultureInfo.InvariantCulture) : "n/a")} bps, Sharpe {(t.Sharpe is { } sh ? sh.ToString("F2", CultureInfo.InvariantCulture) : "n/a")}, max drawdown {t.MaxDrawdown.Depth:P2} (ask: {r.Result.AskSource})");
        }));
        return Made(new Backtested(results, bundle), kept is not null, key, _config.MultiSymbol ? root : results[0].Directory, detail);
    }

    /// <summary>One symbol's test predictions traded on its own bars over its test period.</summary>
    private BacktestResult BacktestSymbol(Snapshot snapshot, Predictions predictions, string symbol, long barSeconds, BacktestOptions options, string source)
    {
        var file = predictions.Source;
        var times = predictions.Timestamps ?? throw new DataException(file, null, PredictionsCsv.TimestampColumn, "missing-column", "the backtest needs the predictions' timestamps");
        var candidates = Enumerable.Range(0, predictions.Count)
            .Where(i => predictions.Symbols is null || predictions.Symbols[i] == symbol)
            .Select(i => new BacktestCandidate(times[i], predictions.Probabilities[i]))
            .OrderBy(c => c.Time).ToList();
        if (candidates.Count == 0) throw new DataException(file, "no-rows", $"no test predictions of {symbol} to backtest");
        var bars = ReplayArtifacts.ReadBars(snapshot.Directory, symbol, TimeSpan.FromSeconds(barSeconds));
        var problems = BacktestInputs.Problems(bars, options);
        if (problems.Count > 0) throw new ConfigException(_config.ConfigFile, problems.Select(p => "backtest: " + p).ToList());
        var context = BarContext.Compute(bars, _config.Dataset.EngineOptions());
        var window = new BacktestWindow(candidates[0].Time, candidates[^1].Time + barSeconds);
        return new BacktestEngine(_options.Time).Run(bars, context, candidates, options, window, $"test predictions: {source}");
    }

    private static ModelCardBacktest CardBacktest(BacktestResult result, BacktestOptions options) => new()
    {
        Source = result.CandidatesSource,
        PeriodStart = result.FirstBar,
        PeriodEnd = result.LastBar,
        Trades = result.Totals.Trades,
        NetExpectancyBps = result.Totals.ExpectancyBps,
        Sharpe = result.Totals.Sharpe,
        MaxDrawdown = result.Totals.MaxDrawdown.Depth,
        NetPnl = result.Totals.NetPnl,
        Return = result.Totals.Return,
        AskSource = result.AskSource,
        CommissionBps = options.CommissionBps,
        SlippageBps = options.SlippageBps,
        LongThreshold = options.LongThreshold,
        ShortThreshold = options.ShortThreshold,
        HorizonBars = options.HorizonBars,
    };

    private static bool SameBacktests(IReadOnlyDictionary<string, ModelCardBacktest>? a, IReadOnlyDictionary<string, ModelCardBacktest>? b) =>
        a is null || b is null ? a is null && b is null : a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && other == p.Value);

    /// <summary>Registers the candidate and makes it best when the gate passed (or there was no baseline); a failed gate promotes nothing.</summary>
    private Step<string?> Promote(Bundle candidate, GateDecision gate)
    {
        var registry = new ModelRegistry(_config.Registry, new RegistryOptions { ContractAuthority = _options.ContractAuthority });
        if (!gate.Decision.Passed)
            return new Step<string?>(registry.BestVersion(), RunStageStatus.Skipped, null, null, $"not promoted: {gate.Decision.Reason}; best stays {registry.BestVersion() ?? "(none)"}");
        var change = registry.Promote(candidate.Directory, allowUngated: false, reason: $"kairos run {RunId}: {gate.Decision.Reason}");
        return Made<string?>(change.To, !change.Changed, candidate.Verification.ContentHash, Path.Combine(registry.Root, ModelRegistry.VersionsDirectory, change.To),
            change.Changed ? $"best {change.From ?? "(none)"} -> {change.To}" : $"{change.To} is best already");
    }

    private Step<string> WriteReport(Snapshot snapshot, DatasetBuildResult dataset, GbdtRunReport trees, DeepRunResult hybrid, Evaluated evaluation,
        GateDecision gate, Bundle bundle, IReadOnlyList<SymbolReplay> replays, Backtested backtest, string? best, WalkForwardResult? walkForward, ModelComparison? comparison)
    {
        var path = Path.Combine(_runDirectory, "report.html");
        var key = Hash(string.Join("\n", _state.Stages.Where(s => s.Name != "report").Select(s => $"{s.Name}={s.Key}|{s.Artifact}")))[..16];
        var recorded = _previous?.Stage("report");
        if (recorded is { Status: RunStageStatus.Done or RunStageStatus.Reused } && recorded.Key == key && File.Exists(path))
            return Made(path, true, key, path, "report.html unchanged");
        // A replay read back from its directory has no per-bar trace (not stored); the plots need it.
        if (!replays.All(r => r.HasTrace)) replays = RunReplays(snapshot, bundle, gate, _config.MultiSymbol ? _state.Stage("replay")!.Artifact! : Out("replays"));
        var page = RunReportPage.Build(new RunReportInputs
        {
            RunId = RunId,
            Config = _config,
            Stages = _state.Stages,
            Dataset = dataset.Metadata,
            Trees = trees,
            Hybrid = hybrid,
            Models = comparison,
            EvaluationDirectory = evaluation.Directory,
            Evaluation = evaluation.Report,
            PredictionsSource = evaluation.Source,
            Gate = gate.Decision,
            Bundle = bundle,
            Replays = replays,
            Backtests = backtest.Results,
            BestVersion = best,
            WalkForward = walkForward,
        });
        page.Save(path);
        return Made(path, false, key, path, $"{page.ImageCount} images, {new FileInfo(path).Length / 1024:N0} KiB");
    }
}
