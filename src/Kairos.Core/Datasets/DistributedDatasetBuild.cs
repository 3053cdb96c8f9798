using System.Globalization;
using System.Text.Json;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Search;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;
using Kairos.Snapshots;

namespace Kairos.Datasets;

/// <summary>
/// <c>kairos dataset build --storage</c>: the symbols of a dataset as work items of a study in the study storage (SQLite,
/// or PostgreSQL shared by machines), as the walk-forward windows of <c>kairos run</c> are. Each item computes one
/// symbol's features, labels and eligibility into a part under <c>&lt;out&gt;/.parts/&lt;id&gt;/</c>
/// (<see cref="DatasetBuilder.BuildPart"/>); the build works on the study like one more <c>kairos worker</c>, then merges
/// the parts into the dataset (<see cref="DatasetBuilder.Build"/> with <see cref="DatasetBuildOptions.Parts"/>): the
/// same files, byte for byte, as a build in one process. Leases, heartbeats and one retry of an item whose worker died
/// come from the study.
/// </summary>
public static class DistributedDatasetBuild
{
    /// <summary>The study objective kind of a dataset symbol work item.</summary>
    public const string ObjectiveKind = "dataset-symbol";

    /// <summary>The fixed parameter naming a work item's symbol.</summary>
    public const string SymbolParam = "symbol";

    /// <summary>Where the parts of the build of dataset <paramref name="id"/> under <paramref name="outRoot"/> go.</summary>
    public static string PartsDirectory(string outRoot, string id) => Path.Combine(outRoot, ".parts", id);

    /// <summary>The study of the build of dataset <paramref name="id"/>.</summary>
    public static string StudyName(string id) => "dataset-" + id;

    /// <summary>
    /// Queues the build's work items (one per symbol without a part; none when the dataset exists) and returns the
    /// study's name, for workers to take them (<c>kairos worker --storage ... --study NAME</c>) before <see cref="Run"/>
    /// merges.
    /// </summary>
    public static string Queue(Snapshot snapshot, string configFile, string outRoot, string storageLocation)
    {
        var plan = Plan(snapshot, configFile, outRoot);
        using var storage = StudyStorage.Open(storageLocation);
        return OpenStudy(storage, plan.Spec, plan.Exists).Name;
    }

    /// <summary>Queues (or finds) the build's work items, works on them, waits for other workers' items, merges the parts.</summary>
    public static DatasetBuildResult Run(Snapshot snapshot, string configFile, string outRoot, string storageLocation, DatasetBuildOptions options, Action<string>? log = null)
    {
        var plan = Plan(snapshot, configFile, outRoot);
        var spec = plan.Spec;
        if (!plan.Exists)
        {
            using var storage = StudyStorage.Open(storageLocation);
            var study = OpenStudy(storage, spec, exists: false);
            log?.Invoke($"dataset {spec.DatasetId}: {spec.Symbols.Count} symbol(s) as work items of study {study.Name} in {storage.Location}; " +
                        $"to add machines: kairos worker --storage {storage.Location} --study {study.Name}");
            study.Work(trial => Evaluate(trial, spec), Study.NewWorkerId(), options.Progress);
            var missing = spec.Symbols.Where(s => !SymbolPart.Exists(spec.Parts, s)).ToList();
            if (missing.Count > 0)
            {
                var trials = study.Trials();
                throw new DataException(storage.Location, "dataset-parts", $"study {study.Name}: symbol(s) without a part: " + string.Join("; ", missing.Select(s =>
                    $"{s} ({string.Join(", ", trials.Where(t => Symbol(t) == s).Select(t => $"item {t.Number} {t.State.ToString().ToLowerInvariant()}{(t.FailReason is null ? "" : ": " + t.FailReason)}"))})")) +
                    "; run the build again to queue them once more");
            }
        }
        var result = DatasetBuilder.Build(plan.Source, plan.Config, outRoot, options with { Parts = spec.Parts });
        if (Directory.Exists(spec.Parts)) Directory.Delete(spec.Parts, recursive: true);
        return result;
    }

    /// <summary>What the build reads and where its parts go; whether the dataset exists already.</summary>
    private static (DatasetConfig Config, DatasetSource Source, DatasetPartSpec Spec, bool Exists) Plan(Snapshot snapshot, string configFile, string outRoot)
    {
        var config = DatasetConfigLoader.LoadFile(configFile);
        var symbols = config.Symbols.Count > 0 ? config.Symbols : snapshot.Symbols;
        var source = DatasetSource.FromSnapshot(snapshot, symbols.Where(snapshot.Symbols.Contains).ToList());
        var id = DatasetBuilder.Id(source, config, symbols);
        var spec = new DatasetPartSpec(Path.GetFullPath(snapshot.Directory), Path.GetFullPath(configFile), id, Path.GetFullPath(PartsDirectory(outRoot, id)), symbols);
        return (config, source, spec, File.Exists(Path.Combine(outRoot, id, DatasetReader.MetadataFile)));
    }

    /// <summary>The objective <c>kairos worker</c> runs for a study of <see cref="ObjectiveKind"/>.</summary>
    public static StudyObjective Objective(StudyRecord study)
    {
        var spec = DatasetPartSpec.FromJson(study.Options.ObjectiveSpec, study.Name);
        return new StudyObjective(trial => Evaluate(trial, spec));
    }

    /// <summary>One work item: the symbol named by its fixed parameter, its part computed (or found present); its value is the symbol's bar count.</summary>
    private static double Evaluate(ITrial trial, DatasetPartSpec spec)
    {
        var symbol = trial.SuggestCategorical(SymbolParam, spec.Symbols);
        var config = DatasetConfigLoader.LoadFile(spec.Config);
        var snapshot = Snapshot.Open(spec.Snapshot);
        var source = DatasetSource.FromSnapshot(snapshot, [symbol]);
        var id = DatasetBuilder.Id(source, config, spec.Symbols);
        if (id != spec.DatasetId)
            throw new ConfigException(spec.Config, [$"the configuration or the snapshot changed since the build of dataset {spec.DatasetId} was queued (they now give {id}); build again to queue the new one"]);
        DatasetBuilder.BuildPart(source, config, symbol, spec.Parts);
        var bars = snapshot.Manifest.Symbols.First(s => s.Symbol == symbol).Rows;
        trial.SetAttribute("bars", bars.ToString(CultureInfo.InvariantCulture));
        return bars;
    }

    /// <summary>The build's study, made with one queued work item per symbol on first use; a symbol left without a part by an earlier attempt is queued once more.</summary>
    private static Study OpenStudy(IStudyStorage storage, DatasetPartSpec spec, bool exists)
    {
        var name = StudyName(spec.DatasetId);
        var study = storage.FindStudy(name) is not null
            ? Study.Load(storage, name)
            : Study.CreateOrLoad(storage, name, new StudyOptions
            {
                Sampler = SamplerKind.Random,
                Pruner = new PrunerOptions { Kind = PrunerKind.None },
                ObjectiveKind = ObjectiveKind,
                ObjectiveSpec = spec.ToJson(),
            });
        study.EnqueueEach(SymbolParam, spec.Symbols, symbol => exists || SymbolPart.Exists(spec.Parts, symbol));
        return study;
    }

    private static string? Symbol(FrozenTrial t) => t.Params.ContainsKey(SymbolParam) ? (string)t.UserValue(SymbolParam) : null;

    /// <summary>What a dataset symbol work item needs: where the snapshot and the configuration are, the dataset id they must give, where parts go.</summary>
    private sealed record DatasetPartSpec(string Snapshot, string Config, string DatasetId, string Parts, IReadOnlyList<string> Symbols)
    {
        public string ToJson() => JsonSerializer.Serialize(this, DatasetJson.Options);

        public static DatasetPartSpec FromJson(string json, string study)
        {
            try
            {
                return JsonSerializer.Deserialize<DatasetPartSpec>(json, DatasetJson.Options) is { Symbols.Count: > 0 } spec ? spec
                    : throw new ConfigException($"study '{study}'", ["its objective spec names no symbols"]);
            }
            catch (JsonException e)
            {
                throw new ConfigException($"study '{study}'", [$"its objective spec is not a dataset build's: {e.Message}"]);
            }
        }
    }
}
