using Kairos.Artifacts;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Errors;

namespace Kairos.Bundles;

/// <summary>
/// Reads the artifacts of the earlier stages (dataset, trees, hybrid run, evaluation, gate verdict), checks
/// that they belong together (one feature contract, the run trained on this dataset, the trees' signals in
/// it, a calibrator for every session), and turns them into a <see cref="BundleDraft"/>: the files to copy,
/// the bundle metadata and the Model Card. Formats: docs/dataset-format.md, docs/bundles.md.
/// </summary>
public static class BundleSources
{
    public const string DatasetMetadataFile = "dataset.json";
    public const string TreesMetadataFile = "gbdt.json";
    public const string RunMetadataFile = "bundle_metadata.json";
    public const string EvaluationFile = "metrics.json";
    public const string GateVerdictFile = "gate_verdict.json";

    private static readonly string[] RunFiles = ["train_config.json", "metrics.json", "env.json", "git_commit.txt", "training.log"];

    public static BundleDraft Read(BundleSourceOptions options)
    {
        var ds = JsonInput.Read(Path.Combine(options.Dataset, DatasetMetadataFile));
        var trees = JsonInput.Read(Path.Combine(options.Trees, TreesMetadataFile));
        var run = JsonInput.Read(Path.Combine(options.Run, RunMetadataFile));
        var evaluation = JsonInput.Read(Path.Combine(options.Evaluation, EvaluationFile));
        var verdict = options.GateVerdict is null ? null : JsonInput.Read(options.GateVerdict);

        var problems = new List<string>();
        var contractHash = ds.String("feature_contract_hash");
        var datasetId = ds.String("id");
        foreach (var (input, path) in new[] { (trees, "lineage.feature_contract_hash"), (run, "feature_contract_hash") })
            if (input.String(path) != contractHash)
                problems.Add($"{input.File}: {path} is {input.String(path)}, the dataset's feature contract is {contractHash}");
        if (run.String("dataset_id") != datasetId)
            problems.Add($"{run.File}: the hybrid model was trained on dataset {run.String("dataset_id")}, not on {datasetId} ({ds.File})");
        var treeDatasets = new[] { trees.OptionalString("dataset.id"), trees.OptionalString("enriched_dataset.id") };
        if (!treeDatasets.Contains(datasetId))
            problems.Add($"{trees.File}: the trees were trained on dataset {treeDatasets[0]} and enriched {treeDatasets[1]}, neither is {datasetId}");
        var calibrationRequired = trees.Bool("calibration.required");
        if (run.Bool("uses_tree_signals") && !ds.Bool("calibration_applied"))
            problems.Add($"{ds.File}: the hybrid model uses tree signals but the dataset has calibration_applied false: give the trees stage's enriched dataset");
        if (ds.Integer("seq_len") != run.Integer("seq_len"))
            problems.Add($"{run.File}: seq_len {run.Integer("seq_len")} differs from the dataset's {ds.Integer("seq_len")}");

        var files = new List<BundleSourceFile> { new(ds.File, $"{BundleFormat.DatasetDirectory}/{DatasetMetadataFile}") };
        var splitsFile = Path.Combine(options.Dataset, "splits.json");
        if (File.Exists(splitsFile)) files.Add(new(splitsFile, $"{BundleFormat.DatasetDirectory}/splits.json"));

        files.Add(new(trees.File, $"{BundleFormat.TreesDirectory}/{TreesMetadataFile}"));
        var calibratorsRelative = trees.String("calibration.file");
        var calibratorsPath = InsideDirectory(options.Trees, calibratorsRelative, trees, "calibration.file");
        files.Add(new(calibratorsPath, $"{BundleFormat.TreesDirectory}/{calibratorsRelative}"));
        var sessions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (group, g) in trees.Array("groups").Select((n, i) => (n, i)))
        {
            foreach (var session in group?["sessions"]?.AsArray() ?? throw trees.Missing($"groups[{g}].sessions", "is missing"))
                sessions.Add(session!.GetValue<string>());
            foreach (var (member, m) in (group["final"]?.AsArray() ?? throw trees.Missing($"groups[{g}].final", "is missing")).Select((n, i) => (n, i)))
            {
                var relative = member?["file"]?.GetValue<string>() ?? throw trees.Missing($"groups[{g}].final[{m}].file", "is missing");
                files.Add(new(InsideDirectory(options.Trees, relative, trees, $"groups[{g}].final[{m}].file"), $"{BundleFormat.TreesDirectory}/{relative}"));
            }
        }
        var calibrators = SessionCalibratorSet.Load(calibratorsPath);
        if (calibrationRequired) calibrators.Require(sessions);

        var weightsRelative = run.String("weights_file");
        var weightsPath = InsideDirectory(options.Run, weightsRelative, run, "weights_file");
        var weightsHash = BundleManifest.HashFile(weightsPath);
        if (weightsHash != run.String("weights_sha256"))
            problems.Add($"{weightsPath}: SHA-256 is {weightsHash}, {run.File} says {run.String("weights_sha256")}");
        files.Add(new(run.File, $"{BundleFormat.HybridDirectory}/{RunMetadataFile}"));
        files.Add(new(weightsPath, $"{BundleFormat.HybridDirectory}/{weightsRelative}"));
        foreach (var name in RunFiles)
        {
            var path = Path.Combine(options.Run, name);
            if (File.Exists(path)) files.Add(new(path, $"{BundleFormat.HybridDirectory}/{name}"));
            else if (name is "train_config.json" or "metrics.json") problems.Add($"{options.Run}: the run has no {name}");
        }
        // The run's predictions go to the bundle root, where `kairos eval --bundle` reads them (docs/metrics.md).
        var runPredictions = Directory.EnumerateFiles(options.Run, "predictions_*.csv").Order(StringComparer.Ordinal).ToList();
        foreach (var path in runPredictions)
            files.Add(new(path, Path.GetFileName(path)));

        foreach (var path in Directory.EnumerateFiles(options.Evaluation).Order(StringComparer.Ordinal))
            files.Add(new(path, $"{BundleFormat.EvaluationDirectory}/{Path.GetFileName(path)}"));
        if (verdict is not null)
        {
            if (files.Any(f => f.BundlePath == $"{BundleFormat.EvaluationDirectory}/{GateVerdictFile}"))
                problems.Add($"{options.Evaluation} already holds a {GateVerdictFile}; give the verdict only once");
            files.Add(new(verdict.File, $"{BundleFormat.EvaluationDirectory}/{GateVerdictFile}"));
        }
        if (problems.Count > 0) throw new ConfigException("bundle build: the inputs do not belong together", problems);

        var lineage = Lineage(options, ds, trees, run, evaluation);
        var variant = run.String("model_variant");
        var metadata = new BundleMetadata
        {
            SchemaVersion = BundleFormat.SchemaVersion,
            MinReaderVersion = BundleFormat.MinReaderVersion,
            BundleId = "",
            CreatedAt = DateTimeOffset.UnixEpoch,
            ModelVariant = variant,
            SupportsContextFeatures = run.Bool("supports_context_features"),
            ExpectedCtxCatDim = (int)run.Integer("expected_ctx_cat_dim"),
            ExpectedCtxContDim = (int)run.Integer("expected_ctx_cont_dim"),
            SeqLen = (int)ds.Integer("seq_len"),
            NSeqFeatures = ds.Strings("sequence_features").Count,
            NSnapFeatures = ds.Strings("snapshot_features").Count,
            FeatureContractHash = contractHash,
            Sessions = sessions.ToArray(),
            CalibrationRequired = calibrationRequired,
            CalibrationMethod = trees.String("calibration.method"),
            Components = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["dataset"] = $"{BundleFormat.DatasetDirectory}/{DatasetMetadataFile}",
                ["trees"] = BundleFormat.TreesDirectory,
                ["calibrators"] = $"{BundleFormat.TreesDirectory}/{calibratorsRelative}",
                ["hybrid"] = BundleFormat.HybridDirectory,
                ["hybrid_weights"] = $"{BundleFormat.HybridDirectory}/{weightsRelative}",
                ["evaluation"] = BundleFormat.EvaluationDirectory,
            },
            Lineage = lineage,
            PLong = JudgedComponent(evaluation, runPredictions),
        };
        var distributionPath = $"{BundleFormat.DatasetDirectory}/{InputDistribution.FileName}";
        metadata = metadata with
        {
            Components = new SortedDictionary<string, string>((IDictionary<string, string>)metadata.Components, StringComparer.Ordinal) { ["input_distribution"] = distributionPath },
        };
        var distribution = InputDistribution.Fit(Kairos.Datasets.DatasetReader.Open(options.Dataset));
        var card = Card(options, ds, trees, run, evaluation, verdict, metadata, $"{BundleFormat.TreesDirectory}/{calibratorsRelative}");
        var contractJson = ds.Node("feature_contract").ToJsonString(ArtifactJson.Options) + "\n";
        return new BundleDraft
        {
            Files = files, FeatureContractJson = contractJson, Metadata = metadata, Card = card,
            GeneratedFiles = new Dictionary<string, string> { [distributionPath] = distribution.ToJson() },
        };
    }

    /// <summary>
    /// The component whose <c>p_long</c> the evaluation judged (<see cref="BundleMetadata.PLong"/>): <c>hybrid</c> when the
    /// evaluated predictions are one of the deep run's own predictions files (the same SHA-256), <c>trees</c> otherwise (the
    /// trees' <c>p_cal</c>, as <c>kairos run</c> evaluates a run that wrote no test predictions); null when the evaluation
    /// does not record the SHA-256 of what it evaluated.
    /// </summary>
    private static string? JudgedComponent(JsonInput evaluation, IEnumerable<string> runPredictions) =>
        evaluation.OptionalString("source_sha256") is not { } evaluated ? null
        : runPredictions.Any(p => BundleManifest.HashFile(p) == evaluated) ? BundleFormat.HybridDirectory
        : BundleFormat.TreesDirectory;

    private static BundleLineage Lineage(BundleSourceOptions options, JsonInput ds, JsonInput trees, JsonInput run, JsonInput evaluation)
    {
        var configHashes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["dataset"] = ds.String("lineage.config_hash"),
            ["trees"] = trees.String("lineage.config_hash"),
        };
        var trainConfig = Path.Combine(options.Run, "train_config.json");
        if (File.Exists(trainConfig)) configHashes["hybrid"] = BundleManifest.HashFile(trainConfig);
        var combined = Sha256(string.Concat(configHashes.Select(p => $"{p.Key}={p.Value}\n")));
        var stageCommits = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Commit(string stage, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) stageCommits[stage] = value.Trim();
        }
        Commit("dataset", ds.OptionalString("lineage.code_version"));
        Commit("trees", trees.OptionalString("lineage.code_version"));
        Commit("hybrid", run.OptionalString("git_commit"));
        var evaluationSource = evaluation.OptionalString("source_sha256");
        return new BundleLineage
        {
            SnapshotId = ds.OptionalString("lineage.snapshot_id") ?? "none",
            DatasetId = ds.String("id"),
            TreesId = trees.String("id"),
            RunId = Path.GetFileName(Path.GetFullPath(options.Run).TrimEnd(Path.DirectorySeparatorChar)),
            EvaluationId = evaluationSource is null ? null : evaluationSource[..Math.Min(16, evaluationSource.Length)],
            ConfigHash = combined,
            ConfigHashes = configHashes,
            GitCommit = options.GitCommit ?? "unknown",
            StageGitCommits = stageCommits.Count == 0 ? null : stageCommits,
        };
    }

    private static ModelCard Card(BundleSourceOptions options, JsonInput ds, JsonInput trees, JsonInput run, JsonInput evaluation,
        JsonInput? verdict, BundleMetadata metadata, string calibratorsPath)
    {
        var splits = new List<ModelCardSplit>();
        ModelCardSplit? trainSplit = null;
        long trainPositives = 0;
        foreach (var (node, i) in ds.Array("splits").Select((n, i) => (n, i)))
        {
            var split = node as JsonObject ?? throw ds.Missing($"splits[{i}]", "is not an object");
            var name = (string?)split["name"] ?? throw ds.Missing($"splits[{i}].name", "is missing");
            var rows = split["rows"]?.GetValue<long>() ?? throw ds.Missing($"splits[{i}].rows", "is missing");
            var rate = split["label_balance"]?["direction_positive_rate"]?.GetValue<double>();
            var entry = new ModelCardSplit
            {
                Name = name,
                Rows = rows,
                Start = Time(split["start_time"]),
                End = Time(split["end_time"]),
                PositiveRate = rate is { } r && double.IsFinite(r) ? r : null,
            };
            splits.Add(entry);
            if (name == "train")
            {
                trainSplit = entry;
                trainPositives = (long)Math.Round((rate ?? throw ds.Missing($"splits[{i}].label_balance.direction_positive_rate", "is missing")) * rows);
            }
        }
        if (trainSplit is null) throw ds.Missing("splits", "has no 'train' split");
        var ordered = splits.Where(s => s.Name is "train" or "val" or "test").ToArray();
        var timeSplit = ordered.Length >= 2 && ordered.Zip(ordered.Skip(1)).All(p => p.First.End is { } end && p.Second.Start is { } start && end < start);

        var metrics = Metrics(evaluation, "overall", evaluation.OptionalString("split") ?? "unspecified");
        Dictionary<string, ModelCardMetrics>? bySession = null;
        if (evaluation.Find("by_session") is JsonArray groups)
        {
            bySession = new Dictionary<string, ModelCardMetrics>(StringComparer.Ordinal);
            for (var i = 0; i < groups.Count; i++)
                bySession[(string?)groups[i]?["value"] ?? throw evaluation.Missing($"by_session[{i}].value", "is missing")] =
                    Metrics(evaluation, $"by_session.{i}.metrics", metrics.Split, groups[i]?["metrics"] as JsonObject);
        }

        var trainSignals = trees.Find("metrics.train.signal_source.out_of_fold") is JsonValue oof && oof.TryGetValue<long>(out var oofRows) ? oofRows : (long?)null;
        var trainSignalRows = trees.Find("metrics.train.rows") is JsonValue tr && tr.TryGetValue<long>(out var trRows) ? trRows : (long?)null;
        var lookahead = ds.Find("lookahead_check") is JsonObject look && look["passed"]?.GetValue<bool>() == true;
        var leakage = new ModelCardLeakageChecks
        {
            FutureInfo = lookahead,
            TimeSplit = timeSplit,
            FeatureAudit = true,
            ScalersTrainOnly = ds.Find("scalers.train") is not null,
            OutOfFoldSignals = trainSignals is not null && trainSignals == trainSignalRows,
            Details =
            [
                lookahead ? "future_info: dataset look-ahead check passed (features recomputed with the future removed and perturbed)" : "future_info: the dataset was built without --check-lookahead",
                timeSplit ? "time_split: train < val < test in time, with purge and embargo" : "time_split: splits are not strictly time-ordered",
                "feature_audit: dataset, trees and hybrid run agree on feature contract " + metadata.FeatureContractHash,
                "scalers_train_only: scalers fitted on the train split only (dataset stage)",
                trainSignals is not null ? $"out_of_fold_signals: {trainSignals} of {trainSignalRows} training rows scored by models that did not train on them" : "out_of_fold_signals: the trees artifact does not report signal sources",
            ],
        };

        var importance = new Dictionary<string, double>(StringComparer.Ordinal);
        var importanceGroups = trees.Node("importance") as JsonObject ?? throw trees.Missing("importance", "is not an object");
        foreach (var (_, list) in importanceGroups)
            foreach (var item in list?.AsArray() ?? [])
            {
                var feature = (string?)item?["feature"] ?? throw trees.Missing("importance", "has an entry without 'feature'");
                importance[feature] = importance.GetValueOrDefault(feature)
                    + (item!["gain"]?.GetValue<double>() ?? throw trees.Missing("importance", $"has no gain for feature {feature}")) / importanceGroups.Count;
            }

        var hyper = new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>(StringComparer.Ordinal)
        {
            ["trees"] = Scalars(trees.Find("options.parameters")),
            ["hybrid"] = Scalars(run.Find("architecture")),
        };
        var trainConfig = Path.Combine(options.Run, "train_config.json");
        if (File.Exists(trainConfig)) hyper["hybrid_training"] = Scalars(JsonNode.Parse(File.ReadAllText(trainConfig)));

        var eligibility = new ModelCardEligibility
        {
            Rate = ds.Number("eligibility.rate"),
            TotalBars = ds.Integer("eligibility.total_bars"),
            EligibleBars = ds.Integer("eligibility.eligible"),
            ByReason = (ds.Node("eligibility.by_reason") as JsonObject ?? throw ds.Missing("eligibility.by_reason", "is not an object"))
                .ToDictionary(p => p.Key, p => p.Value!.GetValue<long>(), StringComparer.Ordinal),
        };

        var gate = verdict is null
            ? new ModelCardGate { Verdict = "absent" }
            : new ModelCardGate
            {
                Verdict = verdict.Bool("passed") ? "passed" : "failed",
                Baseline = verdict.OptionalString("baseline"),
                File = $"{BundleFormat.EvaluationDirectory}/{GateVerdictFile}",
            };

        var symbols = ds.Strings("symbols");
        return new ModelCard
        {
            Version = ModelCard.CurrentVersion,
            ModelName = options.ModelName ?? $"kairos-{metadata.ModelVariant}-{string.Join("+", symbols)}",
            ModelVariant = metadata.ModelVariant,
            BundleId = "",
            CreatedAt = DateTimeOffset.UnixEpoch,
            FeatureContractHash = metadata.FeatureContractHash,
            Train = new ModelCardTraining
            {
                SnapshotId = metadata.Lineage.SnapshotId,
                DatasetId = metadata.Lineage.DatasetId,
                Range = new ModelCardRange
                {
                    Start = trainSplit.Start ?? throw ds.Missing("splits[train].start_time", "is missing"),
                    End = trainSplit.End ?? throw ds.Missing("splits[train].end_time", "is missing"),
                },
                Rows = trainSplit.Rows,
                ClassBalance = new ModelCardClassBalance { Pos = trainPositives, Neg = trainSplit.Rows - trainPositives },
                Symbols = symbols,
                BarSize = BarSizeText(ds.Integer("bar_seconds")),
                Splits = splits,
            },
            Metrics = metrics,
            MetricsBySession = bySession,
            LeakageChecks = leakage,
            FeatureImportance = importance.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new FeatureImportance { Name = p.Key, Gain = p.Value }).ToArray(),
            Hyperparameters = hyper,
            Notes = options.Notes,
            Lineage = metadata.Lineage,
            Calibration = new ModelCardCalibration
            {
                Required = metadata.CalibrationRequired,
                Method = metadata.CalibrationMethod,
                PerSession = metadata.Sessions.Select(session => new SessionCalibration
                {
                    Session = session,
                    Method = metadata.CalibrationMethod,
                    Path = calibratorsPath,
                }).ToArray(),
            },
            Eligibility = eligibility,
            Gate = gate,
        };
    }

    private static ModelCardMetrics Metrics(JsonInput report, string path, string split, JsonObject? node = null)
    {
        node ??= report.Node(path) as JsonObject ?? throw report.Missing(path, "is not an object");
        double Value(string name) => node[name] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d)
            ? d
            : throw report.Missing($"{path}.{name}", "is missing or not a finite number (a split with one class has no PR-AUC: evaluate on a split with both)");
        return new ModelCardMetrics
        {
            Split = split,
            Samples = node["count"]?.GetValue<long>() ?? throw report.Missing($"{path}.count", "is missing"),
            PrAuc = Value("pr_auc"),
            AucRoc = Value("roc_auc"),
            Brier = Value("brier"),
            LogLoss = Value("log_loss"),
            CalibrationEce = Value("ece"),
            Accuracy = Value("accuracy"),
            Precision = Value("precision"),
            Recall = Value("recall"),
            F1 = Value("f1"),
        };
    }

    /// <summary>The scalar members (string, number, bool) of a JSON object, in ordinal order; nested values are left out.</summary>
    private static IReadOnlyDictionary<string, JsonElement> Scalars(JsonNode? node)
    {
        var result = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (node is not JsonObject obj) return result;
        foreach (var (key, value) in obj)
            if (value is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                result[key] = JsonSerializer.SerializeToElement(v);
        return result;
    }

    private static DateTimeOffset? Time(JsonNode? unixSeconds) =>
        unixSeconds is JsonValue v && v.TryGetValue<long>(out var t) ? DateTimeOffset.FromUnixTimeSeconds(t) : null;

    private static string InsideDirectory(string directory, string relative, JsonInput source, string field)
    {
        if (BundlePath.Problem(relative) is { } problem) throw source.Missing(field, $"names '{relative}': {problem}");
        if (!BundlePath.TryResolve(directory, relative, out var full, out var missing)) throw source.Missing(field, $"names '{relative}': {missing}");
        return full;
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    internal static string BarSizeText(long seconds) => seconds switch
    {
        60 => "M1",
        300 => "M5",
        900 => "M15",
        1800 => "M30",
        3600 => "H1",
        14400 => "H4",
        86400 => "D1",
        _ => seconds.ToString(CultureInfo.InvariantCulture) + "s",
    };
}
