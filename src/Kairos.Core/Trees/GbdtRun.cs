using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Search;
using Kairos.Threading;
using Kairos.Artifacts;
using Kairos.Search.Storage;

namespace Kairos.Trees;

/// <summary>
/// <c>kairos train gbdt</c>, top to bottom: validate the options; read the dataset (its per-row keys, the features
/// staying in the split files and read a chunk at a time: <see cref="GbdtRunOptions.FeatureChunkRows"/>); derive the artifact id
/// (an existing artifact with that id is returned untouched); search hyperparameters when asked (in this
/// process, or by joining a study shared with workers, whose best trial then also names the artifact); fit the
/// stage (final and out-of-fold models, per-session calibrators, signals); align signals to every split;
/// measure; write the enriched dataset, then the trees artifact (temporary directory, renamed into place).
/// </summary>
public static class GbdtRun
{
    public static GbdtRunReport Execute(GbdtRunOptions options, TimeProvider time, IProgressSink progress)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ConfigException("train gbdt", problems);
        var input = options.FeatureChunkRows > 0
            ? GbdtDatasetInput.Open(options.Dataset, options.Stage.Mode, options.FeatureChunkRows)
            : GbdtDatasetInput.Load(options.Dataset, options.Stage.Mode);
        var configHash = ConfigHash(options);
        var enrichedRoot = Path.GetFullPath(options.EnrichedOut ?? Path.GetDirectoryName(Path.GetFullPath(options.Dataset.TrimEnd('/', '\\')))!);
        var id = ArtifactId(input, configHash, "");
        if (options.SharedStudy is null && Existing(options.Out, id) is { } reused) return reused;

        var clock = Stopwatch.StartNew();
        var stage = options.Stage;
        GbdtSearch.Outcome? search = null;
        // The parameters without search: the stage's, or a shared study's basis (its iteration cap, early stopping, ...).
        var defaults = stage.Parameters;
        var studyName = "gbdt-" + Hash($"kairos.gbdt-study/2\n{input.Metadata.Id}\n{ConfigHash(options with { Search = options.Search with { Trials = 0 } })}")[..16];
        var spec = GbdtStudySpec.For(options.Dataset, input.Metadata.Id, WithoutThreads(stage), options.Search.Overfit, options.Search.Objective, options.Search.ObjectiveFolds);
        var budget = options.Budget ?? new ThreadBudget();
        ThreadDecision DecideThreads() => budget.Resolve(options.Threads);
        if (options.SharedStudy is { } shared)
        {
            // The best trial of a shared study can change while workers add trials: the artifact id names it.
            using var storage = Search.Storage.StudyStorage.Open(shared.Storage);
            var (outcome, used) = GbdtSearch.Join(input.Problem, spec, options.Search, storage, shared.Study ?? studyName, progress, threads: DecideThreads);
            search = outcome;
            stage = stage with { CalibrationFraction = used.CalibrationFraction, Parameters = outcome.Best };
            defaults = used.Parameters;
            id = ArtifactId(input, configHash, $"{outcome.Storage}\n{outcome.Study}\n{outcome.BestTrial}\n{JsonSerializer.Serialize(outcome.Best, GbdtArtifactMetadata.Json)}");
            if (Existing(options.Out, id) is { } same) return same;
        }
        else if (options.Search.Trials > 0)
        {
            Directory.CreateDirectory(options.Out);
            using var storage = new SqliteStudyStorage(options.StudyStorage ?? Path.Combine(options.Out, "gbdt-studies.sqlite"));
            search = GbdtSearch.Run(input.Problem, stage, options.Search, storage, studyName, progress, spec, DecideThreads);
            stage = stage with { Parameters = search.Best };
        }
        GbdtSearchCheck? check = null;
        if (search is not null)
        {
            // What the search bought out of time; a study whose best trial is likely luck trains the defaults instead.
            check = GbdtSearchCheck.Measure(input.Problem, stage, defaults, search, options.Search.MaxPbo);
            if (check.FellBackToDefaults) stage = stage with { Parameters = defaults };
        }
        var artifactDir = Path.GetFullPath(Path.Combine(options.Out, id));
        var enrichedId = EnrichedDatasetWriter.EnrichedId(input.Metadata.Id, id);

        var threads = DecideThreads();
        progress.Note($"{threads.Threads} LightGBM thread(s) for the final fit ({threads.Reason})");
        stage = stage with { Parameters = stage.Parameters with { Threads = threads.Threads } };
        var calibratorPath = Path.Combine(artifactDir, "calibrators.json");
        using var result = GbdtStage.Fit(input.Problem, stage, calibratorPath, progress);
        var (signals, sources) = AlignSignals(input, result);
        var metrics = Measure(input, signals, sources, options.BootstrapResamples, stage.Parameters.Seed);
        var seconds = clock.Elapsed.TotalSeconds;

        var createdAt = time.GetUtcNow();
        var enrichedDir = Path.Combine(enrichedRoot, enrichedId);
        var meta = new GbdtArtifactMetadata
        {
            Id = id,
            CreatedAt = createdAt,
            Dataset = new GbdtDatasetRef(input.Metadata.Id, Path.GetFullPath(options.Dataset), input.Metadata.FeatureContractHash),
            EnrichedDataset = new GbdtDatasetRef(enrichedId, enrichedDir, input.Metadata.FeatureContractHash),
            Lineage = new GbdtLineage(input.Metadata.Id, input.Metadata.FeatureContractHash, configHash, options.CodeVersion),
            Mode = stage.Mode,
            FeatureNames = input.FeatureNames,
            CategoricalFeatures = input.CategoricalFeatures,
            Options = stage,
            Threads = threads,
            Search = search,
            SearchCheck = check,
            Calibration = new GbdtCalibrationInfo(stage.Calibration.ToString().ToLowerInvariant(), GbdtStage.Bucket, "calibrators.json",
                result.CalibrationStartTime, DateTimeOffset.FromUnixTimeSeconds(result.CalibrationStartTime).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), true),
            Groups = result.Groups.Select(g => GroupInfo(g, stage.Parameters.Seed)).ToList(),
            Importance = result.Groups.ToDictionary(g => g.Name, g => Importance(g, input.FeatureNames)),
            Metrics = metrics,
            TrainingSeconds = seconds,
        };
        EnrichedDatasetWriter.Write(enrichedRoot, enrichedId, input, signals, SignalsDocument(meta, sources), createdAt);
        WriteArtifact(options.Out, id, result, meta);
        return new GbdtRunReport(artifactDir, enrichedDir, false, meta);
    }

    /// <summary>
    /// Signals for every split file. Train rows: out of fold. Validation and test: the final models. Other
    /// split files (walk-forward folds) hold rows of the same bars: a row that is a training row takes its
    /// out-of-fold signal (matched by <c>seq_row</c>), any other row the final models' signal.
    /// </summary>
    private static (Dictionary<string, TreeSignals> Signals, Dictionary<string, Dictionary<string, int>> Sources) AlignSignals(GbdtDatasetInput input, GbdtStageResult result)
    {
        var signals = new Dictionary<string, TreeSignals>(StringComparer.Ordinal);
        var sources = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var train = input.Splits.Single(s => s.Name == GbdtDatasetInput.TrainSplit);
        var trainRowOf = new Dictionary<long, int>();
        for (var i = 0; i < train.Rows; i++) trainRowOf[train.SeqRow[i]] = i;
        var oof = result.Signals[GbdtDatasetInput.TrainSplit];
        foreach (var split in input.Splits)
        {
            var computed = result.Signals[split.Name];
            if (split.Name == GbdtDatasetInput.TrainSplit)
            {
                signals[split.Name] = computed;
                sources[split.Name] = new() { ["out_of_fold"] = split.Rows, ["final_models"] = 0 };
                continue;
            }
            var aligned = TreeSignals.Allocate(split.Rows);
            var outOfFold = 0;
            for (var i = 0; i < split.Rows; i++)
            {
                if (trainRowOf.TryGetValue(split.SeqRow[i], out var t))
                {
                    aligned.CopyRow(i, oof, t);
                    outOfFold++;
                }
                else aligned.CopyRow(i, computed, i);
            }
            signals[split.Name] = aligned;
            sources[split.Name] = new() { ["out_of_fold"] = outOfFold, ["final_models"] = split.Rows - outOfFold };
        }
        return (signals, sources);
    }

    private static Dictionary<string, GbdtSplitMetrics> Measure(
        GbdtDatasetInput input, Dictionary<string, TreeSignals> signals, Dictionary<string, Dictionary<string, int>> sources, int resamples, int seed)
    {
        var all = new[] { input.Problem.Train, input.Problem.Validation }.Concat(input.Problem.Others);
        var metrics = new Dictionary<string, GbdtSplitMetrics>(StringComparer.Ordinal);
        foreach (var split in all)
        {
            var s = signals[split.Name];
            double[]? interval = null;
            var auc = Auc(s.PCal, split.Labels);
            if (split.Name == "test" && auc is not null)
            {
                var (lo, hi) = TreeMetrics.RocAucInterval(s.PCal, split.Labels, resamples, seed);
                interval = [lo, hi];
            }
            var bySession = split.Sessions.Distinct().Order(StringComparer.Ordinal).ToDictionary(x => x, session =>
            {
                var rows = split.RowsOf(session);
                var y = rows.Select(i => split.Labels[i]).ToArray();
                var pCal = rows.Select(i => s.PCal[i]).ToArray();
                var pHat = rows.Select(i => s.PHat[i]).ToArray();
                return new GbdtSessionMetrics(rows.Length, y.Average(), Auc(pCal, y), TreeMetrics.LogLoss(pHat, y), TreeMetrics.LogLoss(pCal, y), pCal.Average());
            });
            metrics[split.Name] = new GbdtSplitMetrics(split.Rows, split.Labels.Average(), auc, interval,
                TreeMetrics.LogLoss(s.PHat, split.Labels), TreeMetrics.LogLoss(s.PCal, split.Labels), s.PCal.Average(), sources[split.Name], bySession);
        }
        return metrics;
    }

    private static double? Auc(double[] scores, int[] labels)
    {
        var auc = TreeMetrics.RocAuc(scores, labels);
        return double.IsNaN(auc) ? null : auc;
    }

    private static IReadOnlyList<GbdtFeatureGain> Importance(GbdtGroupResult group, IReadOnlyList<string> features)
    {
        var gain = new double[features.Count];
        foreach (var member in group.Final.Members)
            for (var j = 0; j < gain.Length; j++) gain[j] += member.GainImportance[j] / group.Final.Members.Count;
        return Enumerable.Range(0, features.Count).OrderByDescending(j => gain[j]).ThenBy(j => j).Select(j => new GbdtFeatureGain(features[j], gain[j])).ToList();
    }

    private static string ModelFile(string group, string role, int member) => $"models/{group}/{role}_m{member}.txt";

    private static string FoldCalibratorFile(string group, int fold) => $"models/{group}/fold{fold}_calibrators.json";

    private static GbdtGroupInfo GroupInfo(GbdtGroupResult group, int seed) => new(
        group.Name, group.Sessions, group.TrainRows.Length,
        group.Final.Members.Select((m, k) => new GbdtMemberInfo(ModelFile(group.Name, "final", k), seed + k, m.BestIteration, m.BestValidationLoss)).ToList(),
        group.Folds.Select(f => new GbdtFoldInfo(f.Index, f.HeldOutStart, f.HeldOutEnd, f.TrainRows.Length, f.HeldOutRows.Length, f.Purged, f.Embargoed,
            f.Models.Members.Select((m, k) => new GbdtMemberInfo(ModelFile(group.Name, $"fold{f.Index}", k), seed + k, m.BestIteration, m.BestValidationLoss)).ToList(),
            FoldCalibratorFile(group.Name, f.Index))).ToList());

    private static void WriteArtifact(string root, string id, GbdtStageResult result, GbdtArtifactMetadata meta)
    {
        var temp = ArtifactDirectory.CreateTemporarySibling(root, id);
        try
        {
            foreach (var group in result.Groups)
            {
                Directory.CreateDirectory(Path.Combine(temp, "models", group.Name));
                for (var k = 0; k < group.Final.Members.Count; k++)
                    File.WriteAllText(Path.Combine(temp, ModelFile(group.Name, "final", k)), group.Final.Members[k].ModelText);
                foreach (var fold in group.Folds)
                {
                    for (var k = 0; k < fold.Models.Members.Count; k++)
                        File.WriteAllText(Path.Combine(temp, ModelFile(group.Name, $"fold{fold.Index}", k)), fold.Models.Members[k].ModelText);
                    fold.Calibrators.Save(Path.Combine(temp, FoldCalibratorFile(group.Name, fold.Index)));
                }
            }
            result.Calibrators.Save(Path.Combine(temp, meta.Calibration.File));
            File.WriteAllText(Path.Combine(temp, GbdtArtifactMetadata.FileName), JsonSerializer.Serialize(meta, GbdtArtifactMetadata.Json) + "\n");
            Directory.Move(temp, Path.Combine(root, id));
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    private static JsonObject SignalsDocument(GbdtArtifactMetadata meta, Dictionary<string, Dictionary<string, int>> sources) => new()
    {
        ["kind"] = "kairos.signals",
        ["schema_version"] = 1,
        ["min_reader_version"] = 1,
        ["source_dataset_id"] = meta.Dataset.Id,
        ["trees_id"] = meta.Id,
        ["trees_mode"] = meta.Mode.ToString(),
        ["calibration_method"] = meta.Calibration.Method,
        ["calibration_required"] = true,
        ["columns"] = new JsonObject
        {
            ["margin"] = "mean raw score (log-odds) of the seed ensemble",
            ["p_hat"] = "sigmoid(margin), uncalibrated",
            ["p_cal"] = "per-session calibrator applied to margin",
            ["entropy"] = "binary entropy of p_cal in bits",
            ["uncertainty_score"] = "mutual information (BALD) between prediction and ensemble member, bits: H(mean_m p_m) - mean_m H(p_m)",
        },
        ["signal_source"] = JsonSerializer.SerializeToNode(sources),
        ["definition"] = "docs/signals.md",
    };

    private static string ArtifactId(GbdtDatasetInput input, string configHash, string sharedStudy) =>
        Hash($"kairos.gbdt/1\n{input.Metadata.Id}\n{input.Metadata.FeatureContractHash}\n{configHash}" + (sharedStudy.Length > 0 ? "\n" + sharedStudy : ""))[..16];

    /// <summary>The report of an artifact already written under this id, or null.</summary>
    private static GbdtRunReport? Existing(string root, string id)
    {
        var artifactDir = Path.GetFullPath(Path.Combine(root, id));
        var existing = Path.Combine(artifactDir, GbdtArtifactMetadata.FileName);
        if (!File.Exists(existing)) return null;
        var metadata = JsonSerializer.Deserialize<GbdtArtifactMetadata>(File.ReadAllText(existing), GbdtArtifactMetadata.Json)
            ?? throw new DataException(existing, "gbdt-json", "empty metadata");
        return new GbdtRunReport(artifactDir, metadata.EnrichedDataset.Directory, true, metadata);
    }

    /// <summary>
    /// The id's hash of the settings. Threads are not part of it (<c>auto</c> must not make ids differ between machines
    /// or loads): the hash sees one thread, the setting every earlier run of the example had, so their ids stand.
    /// </summary>
    private static string ConfigHash(GbdtRunOptions options) =>
        Hash(JsonSerializer.Serialize(new { Stage = WithoutThreads(options.Stage), options.Search, options.BootstrapResamples }, GbdtArtifactMetadata.Json));

    private static GbdtStageOptions WithoutThreads(GbdtStageOptions stage) => stage with { Parameters = stage.Parameters with { Threads = 1 } };

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
