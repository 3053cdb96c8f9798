using System.Globalization;
using System.Text.Json;
using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Deep.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Replay;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Features;
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
            CodeVersion = _options.CodeVersion,
        }, _options.Time, _progress);
        var test = report.Metadata.Metrics.GetValueOrDefault("test");
        var auc = test?.RocAuc is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
        var search = report.Metadata.Search is { } s ? $", search {s.Complete} complete / {s.Pruned} pruned" : ", no search";
        return Made(report, report.Reused, report.Metadata.Id, report.ArtifactDirectory, $"{report.Metadata.Id}: test ROC-AUC (p_cal) {auc}{search}");
    }

    private Step<HybridTrainingResult> TrainHybrid(GbdtRunReport trees)
    {
        var enriched = trees.EnrichedDatasetDirectory;
        var options = _config.Hybrid;
        var id = Hash($"kairos.hybrid/1\n{Path.GetFileName(enriched)}\n{JsonSerializer.Serialize(options with { LogEvery = 0 }, RunJson.Options)}")[..16];
        var dir = Path.Combine(Out("hybrid"), id);
        if (File.Exists(Path.Combine(dir, "metrics.json")) && File.Exists(Path.Combine(dir, "bundle_metadata.json")))
        {
            var done = new HybridTrainingResult(dir, RunJson.Read<TrainingMetrics>(Path.Combine(dir, "metrics.json")), RunJson.Read<HybridBundleMetadata>(Path.Combine(dir, "bundle_metadata.json")));
            return Made(done, true, id, dir, HybridDetail(done));
        }
        var resume = Directory.Exists(dir + ".partial");
        RunDirectory.Check(dir, resume);
        using var data = HybridDatasetLoader.Load(enriched, new HybridDatasetOptions());
        var run = RunDirectory.Open(dir, resume);
        var result = new HybridTrainer(options, _options.Time).Train(data, run, resume, requireCalibration: true, _options.Observer is { } o ? o.Log : null, _progress);
        return new Step<HybridTrainingResult>(result, resume ? RunStageStatus.Resumed : RunStageStatus.Done, id, result.RunDirectory, HybridDetail(result));
    }

    private static string HybridDetail(HybridTrainingResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{Path.GetFileName(r.RunDirectory)}: {r.Metrics.Epochs.Count} epoch(s) on {r.Metrics.TrainSamples:N0} samples, {r.Metrics.MeanSamplesPerSecond:F0} samples/s, loss {r.Metrics.FirstStepLoss:F4} -> {r.Metrics.LastStepLoss:F4}");

    /// <summary>
    /// The candidate's test predictions: the hybrid run's own <c>predictions_test.csv</c> when the trainer writes one,
    /// otherwise the trees' calibrated <c>p_cal</c> on the enriched dataset's test split (the hybrid model has no
    /// batch scorer yet). This is the one place that decides what the gate judges.
    /// </summary>
    private (string File, string Source) CandidatePredictions(GbdtRunReport trees, HybridTrainingResult hybrid)
    {
        var own = Path.Combine(hybrid.RunDirectory, "predictions_test.csv");
        if (File.Exists(own)) return (own, "hybrid direction head (predictions_test.csv of the hybrid run)");
        var file = Path.Combine(Out("predictions"), $"{Path.GetFileName(trees.EnrichedDatasetDirectory)}_test_p_cal.csv");
        if (!File.Exists(file))
        {
            var split = DatasetReader.Open(trees.EnrichedDatasetDirectory).ReadSplit("test");
            var sessions = split.Int("session_id").Select(s => s >= 0 && s < SessionTable.Names.Count ? SessionTable.Names[s] : s.ToString(CultureInfo.InvariantCulture)).ToArray();
            var vol = split.Int("vol_regime_id").Select(v => v switch { 0 => "LOW", 1 => "MEDIUM", 2 => "HIGH", 3 => "EXTREME", _ => v.ToString(CultureInfo.InvariantCulture) }).ToArray();
            var predictions = new Predictions(file, split.Double("p_cal"), split.Int("y_direction"), sessions, vol, split.Timestamp, split.Symbol);
            Directory.CreateDirectory(Out("predictions"));
            var temp = Path.Combine(Out("predictions"), $".{Guid.NewGuid():N}.tmp");
            PredictionsCsv.Write(temp, predictions);
            File.Move(temp, file, overwrite: true);
        }
        return (file, "trees' calibrated p_cal on the test split (the hybrid run has no predictions_test.csv)");
    }

    private Step<Evaluated> Evaluate(GbdtRunReport trees, HybridTrainingResult hybrid)
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
    /// The gate against the registry's best, decided once per run and recorded (a re-run reuses the verdict: after
    /// this run's promotion the best is the candidate itself). No best yet: the candidate passes with the verdict
    /// "no baseline". A candidate that is already the best (same trees and hybrid run) passes without comparison.
    /// </summary>
    private Step<GateDecision> Gate(Evaluated evaluation, GbdtRunReport trees, HybridTrainingResult hybrid)
    {
        var recorded = _previous?.Stage("gate");
        if (recorded is { Status: RunStageStatus.Done or RunStageStatus.Reused, Key: { } key, Artifact: { } artifact } && key.StartsWith(evaluation.Id, StringComparison.Ordinal)
            && File.Exists(Path.Combine(artifact, GateDecision.FileName)))
        {
            var kept = GateDecision.Load(artifact);
            return Made(kept, true, key, artifact, kept.Reason);
        }

        var registry = new ModelRegistry(_config.Registry, new RegistryOptions { ContractAuthority = _options.ContractAuthority });
        var best = registry.BestVersion();
        PromotionVerdict verdict;
        string kind;
        string reason;
        string? baselineDir = null;
        if (best is null)
        {
            kind = "no_baseline";
            reason = $"no baseline: registry {registry.Root} has no best version yet, so the candidate is promoted as the first model without a comparison";
            verdict = new PromotionVerdict { Passed = true, Candidate = evaluation.Directory, Baseline = "none", Options = _config.Gate, Rules = [] };
        }
        else
        {
            baselineDir = Path.Combine(registry.Root, ModelRegistry.VersionsDirectory, best);
            var baseline = OpenBaseline(baselineDir, out var unusable);
            if (baseline is null)
            {
                kind = "failed";
                reason = $"the registry's best {best} cannot be compared with: {unusable}; roll back or promote by hand (kairos registry)";
                verdict = new PromotionVerdict
                {
                    Passed = false, Candidate = evaluation.Directory, Baseline = best, Options = _config.Gate,
                    Rules = [new GateRule("baseline_verifies", "bundle", null, null, unusable!, false)],
                };
                baselineDir = null;
            }
            else if (baseline.Metadata.Lineage.TreesId == trees.Metadata.Id && baseline.Metadata.Lineage.RunId == Path.GetFileName(hybrid.RunDirectory))
            {
                kind = "passed";
                reason = $"the candidate is the registry's best already ({best}: same trees and hybrid run); nothing to gate";
                verdict = new PromotionVerdict { Passed = true, Candidate = evaluation.Directory, Baseline = best, Options = _config.Gate, Rules = [] };
                baselineDir = null;
            }
            else
            {
                var baselineReport = EvaluationReportFile.Load(baseline.PathOf($"{BundleFormat.EvaluationDirectory}/{EvaluationReportFile.FileName}"));
                verdict = Compare(evaluation, baselineReport, best);
                kind = verdict.Passed ? "passed" : "failed";
                reason = verdict.Passed
                    ? $"passed against {best}: every rule holds"
                    : $"failed against {best}: " + string.Join("; ", verdict.Rules.Where(r => !r.Passed).Select(r => $"{r.Name} ({r.Requirement})"));
            }
        }
        var decision = new GateDecision(kind, reason, verdict, baselineDir is null ? null : best, baselineDir);
        var gateKey = evaluation.Id + "-" + Hash($"{best ?? "none"}\n{JsonSerializer.Serialize(_config.Gate, EvaluationReportFile.JsonOptions)}")[..8];
        decision = decision.Save(Path.Combine(Out("gates"), gateKey));
        return Made(decision, false, gateKey, decision.Directory, reason);
    }

    /// <summary>The best version opened and verified, or null and why (for example: its feature contract is not the running code's).</summary>
    private Bundle? OpenBaseline(string directory, out string? problem)
    {
        try
        {
            problem = null;
            return Bundle.Open(directory, new BundleVerifyOptions { ContractAuthority = _options.ContractAuthority });
        }
        catch (VerificationException e)
        {
            problem = string.Join("; ", e.Failures);
            return null;
        }
    }

    private PromotionVerdict Compare(Evaluated candidate, EvaluationReport baseline, string best)
    {
        try
        {
            return PromotionGate.Evaluate(candidate.Report, baseline, _config.Gate, candidate.Directory, $"registry best {best}");
        }
        catch (ConfigException e)
        {
            // Not comparable (other rows or bins): a failed gate that says why, not a crash.
            return new PromotionVerdict
            {
                Passed = false, Candidate = candidate.Directory, Baseline = $"registry best {best}", Options = _config.Gate,
                Rules = [new GateRule("comparable", "rows", candidate.Report.Overall.Count, baseline.Overall.Count, string.Join(" ", e.Problems), false)],
            };
        }
    }

    private Step<BuiltBundle> BuildBundle(GbdtRunReport trees, HybridTrainingResult hybrid, Evaluated evaluation, GateDecision gate)
    {
        var draft = BundleSources.Read(new BundleSourceOptions
        {
            Dataset = trees.EnrichedDatasetDirectory,
            Trees = trees.ArtifactDirectory,
            Run = hybrid.RunDirectory,
            Evaluation = evaluation.Directory,
            GateVerdict = gate.VerdictFile,
            GitCommit = _options.CodeVersion,
            Notes = $"kairos run; gate: {gate.Reason}",
        });
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
        return Made(bundle, reused, bundle.Verification.ContentHash, bundle.Directory, l is null ? "no full-path latency"
            : string.Create(CultureInfo.InvariantCulture, $"full path p50 {l.P50:F3} ms, p95 {l.P95:F3} ms, p99 {l.P99:F3} ms (load {bundle.Card.LatencyDetail?.Machine.LoadAverage1m:F2})"));
    }

    /// <summary>Replays the last window of the snapshot through the previous best (A) and the candidate (B); through the candidate alone when there is no previous best.</summary>
    private Step<Replayed> Replay(Snapshot snapshot, Bundle candidate, GateDecision gate)
    {
        var key = Hash($"kairos.run-replay/1\n{candidate.Verification.ContentHash}\n{gate.BaselineDirectory}\n{snapshot.Id}\n{_config.ReplayWindow}\n{_config.ReplayPLong}\n{ReplayJson.Serialize(_config.Replay)}")[..16];
        var recorded = _previous?.Stage("replay");
        if (recorded is { Status: RunStageStatus.Done or RunStageStatus.Reused, Artifact: { } kept } && recorded.Key == key && Replayed.TryLoad(kept) is { } again)
            return Made(again, true, key, kept, again.Summary);
        var replayed = RunReplay(snapshot, candidate, gate);
        return Made(replayed, false, key, replayed.Directory, replayed.Summary);
    }

    /// <summary>Streams the bars through the bundles and writes (or finds) the replay directory; the reports keep their per-bar trace for the plots.</summary>
    private Replayed RunReplay(Snapshot snapshot, Bundle candidate, GateDecision gate)
    {
        var bundles = gate.BaselineDirectory is { } baseline ? new[] { baseline, candidate.Directory } : [candidate.Directory];
        var options = new BundleReplayOptions { PLongSource = _config.ReplayPLong, HybridLoader = HybridScorer.Open };
        if (_config.ReplayPLong == PLongSource.Hybrid) TorchRuntime.ConfigureThreads(1);
        var predictors = new List<BundlePredictor>();
        try
        {
            foreach (var (path, k) in bundles.Select((p, k) => (p, k)))
                predictors.Add(BundlePredictor.Open(path, options, bundles.Length == 1 ? null : k == 0 ? "A" : "B"));
            var bars = ReplayArtifacts.ReadBars(snapshot.Directory, _config.Symbol, TimeSpan.FromSeconds(predictors[0].Dataset.BarSeconds));
            var window = ReplayArtifacts.Window(bars, null, null, _config.ReplayWindow);
            var reports = new ReplayEngine(_config.Replay, _options.Time).Run(bars, predictors, window, _progress);
            if (reports.Count == 1) return new Replayed(ReplayArtifacts.WriteReport(Out("replays"), reports[0]), reports[0], null);
            var comparison = ReplayComparison.Create(reports[0], reports[1]);
            return new Replayed(ReplayArtifacts.WriteComparison(Out("replays"), comparison), null, comparison);
        }
        finally
        {
            foreach (var p in predictors) p.Dispose();
        }
    }

    /// <summary>Registers the candidate and makes it best when the gate passed (or there was no baseline); a failed gate promotes nothing.</summary>
    private Step<string?> Promote(Bundle candidate, GateDecision gate)
    {
        var registry = new ModelRegistry(_config.Registry, new RegistryOptions { ContractAuthority = _options.ContractAuthority });
        if (!gate.Passed)
            return new Step<string?>(registry.BestVersion(), RunStageStatus.Skipped, null, null, $"not promoted: {gate.Reason}; best stays {registry.BestVersion() ?? "(none)"}");
        var change = registry.Promote(candidate.Directory, allowUngated: false, reason: $"kairos run {RunId}: {gate.Reason}");
        return Made<string?>(change.To, !change.Changed, candidate.Verification.ContentHash, Path.Combine(registry.Root, ModelRegistry.VersionsDirectory, change.To),
            change.Changed ? $"best {change.From ?? "(none)"} -> {change.To}" : $"{change.To} is best already");
    }

    private Step<string> WriteReport(Snapshot snapshot, DatasetBuildResult dataset, GbdtRunReport trees, HybridTrainingResult hybrid, Evaluated evaluation,
        GateDecision gate, Bundle bundle, Replayed replay, string? best)
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
            EvaluationDirectory = evaluation.Directory,
            Evaluation = evaluation.Report,
            PredictionsSource = evaluation.Source,
            GateVerdict = gate.Verdict,
            GateReason = gate.Reason,
            Gate = gate.PromotionVerdict,
            BaselineVersion = gate.BaselineVersion,
            Bundle = bundle,
            Replay = replay.Report,
            Comparison = replay.Comparison,
            ReplayDirectory = replay.Directory,
            BestVersion = best,
        });
        page.Save(path);
        return Made(path, false, key, path, $"{page.ImageCount} images, {new FileInfo(path).Length / 1024:N0} KiB");
    }
}
