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
            var entry = existing.Manifest.Symbols.FirstOrDefault(x => x.Symbol == _config.Symbol)
                ?? throw new DataException(Path.Combine(given, SnapshotManifest.FileName), null, "symbols", "unknown-symbol",
                    $"snapshot {existing.Id} has no symbol '{_config.Symbol}'; it has [{string.Join(", ", existing.Symbols)}]");
            return Made(existing, reused: true, existing.Id, existing.Directory, $"{existing.Id}: {entry.Rows:N0} bars of {entry.Symbol} (input.snapshot, verified)");
        }
        var inputs = _config.Inputs.Select((f, i) => new SnapshotInput(f, _config.Symbol, _config.AskInputs?[i])).ToArray();
        var result = new SnapshotCreator(_options.Time).Create(inputs, _config.Read, Out("snapshots"), _progress);
        var s = result.Snapshot;
        var rows = s.Manifest.Symbols.Sum(x => x.Rows);
        return Made(s, !result.Created, s.Id, s.Directory, $"{s.Id}: {rows:N0} bars of {string.Join(", ", s.Symbols)}");
    }

    private Step<DatasetBuildResult> BuildDataset(Snapshot snapshot)
    {
        var series = new[] { snapshot.ReadBars(_config.Symbol) };
        var hashes = snapshot.Manifest.Symbols.ToDictionary(s => s.Symbol, s => s.Sha256);
        var source = new DatasetSource(series, hashes, snapshot.Id, Path.GetFullPath(snapshot.Directory));
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
                    using var data = HybridDatasetLoader.Load(enriched, new HybridDatasetOptions { CacheDirectory = Path.GetDirectoryName(run.FinalPath) });
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
                    using var data = SequenceDatasetLoader.Load(enriched, new SequenceDatasetOptions { Features = features, PredictionSplits = ["val", "test"] });
                    var trained = new LstmTrainer(options, _options.Time, _threads).Train(data, pretrained: null, run, resume, log, _progress);
                    return (trained.Metrics, trained.Model.ModelVariant);
                });
            }
            default:
            {
                var options = _config.Hybrid;
                return DeepStage(kind, $"kairos.hybrid/1\n{name}\n{JsonSerializer.Serialize(options with { Training = options.Training with { LogEvery = 0, Threads = 1 } }, RunJson.Options)}", (run, resume) =>
                {
                    using var data = HybridDatasetLoader.Load(enriched, new HybridDatasetOptions { CacheDirectory = Path.GetDirectoryName(run.FinalPath) });
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
    /// batch scorer yet). This is the one place that decides what the gate judges.
    /// </summary>
    private (string File, string Source) CandidatePredictions(GbdtRunReport trees, DeepRunResult hybrid)
    {
        var own = Path.Combine(hybrid.RunDirectory, "predictions_test.csv");
        if (File.Exists(own)) return (own, $"{hybrid.Name} direction head (predictions_test.csv of the {hybrid.Name} run)");
        var file = Path.Combine(Out("predictions"), $"{Path.GetFileName(trees.EnrichedDatasetDirectory)}_test_p_cal.csv");
        if (!File.Exists(file))
        {
            var split = DatasetReader.Open(trees.EnrichedDatasetDirectory).ReadSplit("test");
            var sessions = split.Int("session_id").Select(s => s >= 0 && s < SessionTable.Names.Count ? SessionTable.Names[s] : s.ToString(CultureInfo.InvariantCulture)).ToArray();
            var vol = split.Int("vol_regime_id").Select(v => v switch { 0 => "LOW", 1 => "MEDIUM", 2 => "HIGH", 3 => "EXTREME", _ => v.ToString(CultureInfo.InvariantCulture) }).ToArray();
            var predictions = new Predictions(file, split.Double("p_cal"), split.Int("y_direction"), sessions, vol, split.Timestamp, split.Symbol);
            PredictionsCsv.Write(file, predictions);
        }
        return (file, $"trees' calibrated p_cal on the test split (the {hybrid.Name} run has no predictions_test.csv)");
    }

    private Step<Evaluated> Evaluate(GbdtRunReport trees, DeepRunResult hybrid)
    {
        var (file, source) = CandidatePredictions(trees, hybrid);
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
        return Made(new Evaluated(dir, loaded, source), reused, id, dir, string.Create(CultureInfo.InvariantCulture,
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
        var hybridHead = evaluation.Source.StartsWith($"{hybrid.Name} direction head", StringComparison.Ordinal);
        if (hybridHead) TorchRuntime.ConfigureThreads(1);
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
            Symbol = _config.Symbol,
            // The best is scored with the head this candidate is judged on.
            Scoring = new BundleReplayOptions { PLongSource = hybridHead ? PLongSource.Hybrid : PLongSource.Trees, HybridLoader = HybridScorer.Open },
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

    /// <summary>Replays the last window of the snapshot through the previous best (A) and the candidate (B); through the candidate alone when there is no previous best.</summary>
    private Step<Replayed> Replay(Snapshot snapshot, Bundle candidate, GateDecision gate)
    {
        // The bundle's id, not its content hash: the backtest stage writes its figures into the card after replay, which
        // changes the content hash but not what replay reads.
        var key = Hash($"kairos.run-replay/2\n{candidate.Metadata.BundleId}\n{gate.Decision.BaselineDirectory}\n{snapshot.Id}\n{_config.ReplayWindow}\n{_config.ReplayPLong}\n{ReplayJson.Serialize(_config.EffectiveReplay)}")[..16];
        var recorded = _previous?.Stage("replay");
        if (recorded is { Status: RunStageStatus.Done or RunStageStatus.Reused, Artifact: { } kept } && recorded.Key == key && Replayed.TryLoad(kept) is { } again)
            return Made(again, true, key, kept, again.Summary);
        var replayed = RunReplay(snapshot, candidate, gate);
        return Made(replayed, false, key, replayed.Directory, replayed.Summary);
    }

    /// <summary>Streams the bars through the bundles and writes (or finds) the replay directory; the reports keep their per-bar trace for the plots.</summary>
    private Replayed RunReplay(Snapshot snapshot, Bundle candidate, GateDecision gate)
    {
        var bundles = gate.Decision.BaselineDirectory is { } baseline ? new[] { baseline, candidate.Directory } : [candidate.Directory];
        var options = new BundleReplayOptions { PLongSource = _config.ReplayPLong, HybridLoader = HybridScorer.Open };
        if (_config.ReplayPLong == PLongSource.Hybrid) TorchRuntime.ConfigureThreads(1);
        var predictors = new List<BundlePredictor>();
        try
        {
            foreach (var (path, k) in bundles.Select((p, k) => (p, k)))
                predictors.Add(BundlePredictor.Open(path, options, bundles.Length == 1 ? null : k == 0 ? "A" : "B"));
            var bars = ReplayArtifacts.ReadBars(snapshot.Directory, _config.Symbol, TimeSpan.FromSeconds(predictors[0].Dataset.BarSeconds));
            var window = ReplayArtifacts.Window(bars, null, null, _config.ReplayWindow);
            var reports = new ReplayEngine(_config.EffectiveReplay, _options.Time).Run(bars, predictors, window, _progress);
            if (reports.Count == 1) return new Replayed(ReplayArtifacts.WriteReport(Out("replays"), reports[0]), reports[0], null);
            var comparison = ReplayComparison.Create(reports[0], reports[1]);
            return new Replayed(ReplayArtifacts.WriteComparison(Out("replays"), comparison), null, comparison);
        }
        finally
        {
            foreach (var p in predictors) p.Dispose();
        }
    }

    /// <summary>
    /// Backtests the candidate's test predictions (the file the gate judged: the hybrid run's <c>predictions_test.csv</c>)
    /// after costs over the snapshot's bars of the test period (docs/backtest.md), with the dataset's spread unless
    /// <c>backtest.constant_spread_bps</c> says otherwise, writes <c>backtests/&lt;id&gt;/</c> and records net expectancy,
    /// Sharpe and maximum drawdown in the bundle's model card.
    /// </summary>
    private Step<Backtested> Backtest(Snapshot snapshot, GbdtRunReport trees, DeepRunResult hybrid, Bundle candidate)
    {
        var (file, source) = CandidatePredictions(trees, hybrid);
        var options = _config.EffectiveBacktest;
        var key = Hash($"kairos.run-backtest/1\n{SnapshotId.Sha256OfFile(file)}\n{snapshot.Id}\n{_config.Symbol}\n{BacktestJson.Serialize(options)}")[..16];
        var recorded = _previous?.Stage("backtest");
        BacktestResult result;
        string directory;
        var reused = recorded is { Status: RunStageStatus.Done or RunStageStatus.Reused, Artifact: { } kept } && recorded.Key == key
                     && File.Exists(Path.Combine(kept, BacktestArtifacts.ResultFile));
        if (reused)
        {
            directory = recorded!.Artifact!;
            result = BacktestJson.Deserialize<BacktestResult>(File.ReadAllText(Path.Combine(directory, BacktestArtifacts.ResultFile)));
        }
        else
        {
            var predictions = PredictionsCsv.Read(file);
            var times = predictions.Timestamps ?? throw new DataException(file, null, PredictionsCsv.TimestampColumn, "missing-column", "the backtest needs the predictions' timestamps");
            var candidates = Enumerable.Range(0, predictions.Count)
                .Where(i => predictions.Symbols is null || predictions.Symbols[i] == _config.Symbol)
                .Select(i => new BacktestCandidate(times[i], predictions.Probabilities[i]))
                .OrderBy(c => c.Time).ToList();
            if (candidates.Count == 0) throw new DataException(file, "no-rows", $"no test predictions of {_config.Symbol} to backtest");
            var barSeconds = DatasetReader.Open(trees.EnrichedDatasetDirectory).Metadata.BarSeconds;
            var bars = ReplayArtifacts.ReadBars(snapshot.Directory, _config.Symbol, TimeSpan.FromSeconds(barSeconds));
            var problems = BacktestInputs.Problems(bars, options);
            if (problems.Count > 0) throw new ConfigException(_config.ConfigFile, problems.Select(p => "backtest: " + p).ToList());
            var context = BarContext.Compute(bars, _config.Dataset.EngineOptions());
            var window = new BacktestWindow(candidates[0].Time, candidates[^1].Time + barSeconds);
            result = new BacktestEngine(_options.Time).Run(bars, context, candidates, options, window, $"test predictions: {source}");
            directory = BacktestArtifacts.Write(Out("backtests"), key, result);
        }
        var summary = new ModelCardBacktest
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
        var bundle = candidate;
        if (candidate.Card.Backtest != summary)
        {
            BundleBuilder.ReplaceCard(candidate.Directory, c => c with { Backtest = summary }, _options.ContractAuthority);
            bundle = Bundle.Open(candidate.Directory, new BundleVerifyOptions { ContractAuthority = _options.ContractAuthority });
        }
        var t = result.Totals;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{t.Trades:N0} trades on the test period, net expectancy {(t.ExpectancyBps is { } e ? e.ToString("F2", CultureInfo.InvariantCulture) : "n/a")} bps, Sharpe {(t.Sharpe is { } sh ? sh.ToString("F2", CultureInfo.InvariantCulture) : "n/a")}, max drawdown {t.MaxDrawdown.Depth:P2} (ask: {result.AskSource})");
        return Made(new Backtested(directory, result, bundle), reused, key, directory, detail);
    }

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
        GateDecision gate, Bundle bundle, Replayed replay, Backtested backtest, string? best, WalkForwardResult? walkForward, ModelComparison? comparison)
    {
        var path = Path.Combine(_runDirectory, "report.html");
        var key = Hash(string.Join("\n", _state.Stages.Where(s => s.Name != "report").Select(s => $"{s.Name}={s.Key}|{s.Artifact}")))[..16];
        var recorded = _previous?.Stage("report");
        if (recorded is { Status: RunStageStatus.Done or RunStageStatus.Reused } && recorded.Key == key && File.Exists(path))
            return Made(path, true, key, path, "report.html unchanged");
        // A replay read back from its directory has no per-bar trace (not stored); the plots need it.
        if (!replay.HasTrace) replay = RunReplay(snapshot, bundle, gate);
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
            Replay = replay.Report,
            Comparison = replay.Comparison,
            ReplayDirectory = replay.Directory,
            Backtest = backtest.Result,
            BacktestDirectory = backtest.Directory,
            BestVersion = best,
            WalkForward = walkForward,
        });
        page.Save(path);
        return Made(path, false, key, path, $"{page.ImageCount} images, {new FileInfo(path).Length / 1024:N0} KiB");
    }
}
