using System.Text.Json;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Search;

namespace Kairos.Trees;

/// <summary>
/// What a trial of a <c>gbdt</c> study trains, recorded with the study so every worker on every machine
/// runs the same objective: <see cref="GbdtSearchObjective"/> (the one <c>kairos train gbdt --trials</c>
/// runs) over <see cref="GbdtSearchSpace"/> on the dataset <see cref="DatasetId"/>, in <see cref="Mode"/>,
/// with the basis <see cref="Parameters"/> (iteration cap, early stopping, seed, threads, bins).
/// </summary>
public sealed record GbdtStudySpec
{
    private static readonly JsonSerializerOptions Strict = new(StudyOptions.Json) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    /// <summary>The dataset directory as the creator saw it (a worker may override the path, not the id).</summary>
    public string Dataset { get; init; } = "";

    /// <summary>The dataset's id (<c>dataset.json</c>); every worker checks its copy has this id.</summary>
    public string DatasetId { get; init; } = "";

    /// <summary>Per-session models (default) or one pooled model.</summary>
    public GbdtModelMode Mode { get; init; } = GbdtModelMode.PerSession;

    /// <summary>Latest fraction of validation reserved for calibration (never seen by the search). Default 0.5.</summary>
    public double CalibrationFraction { get; init; } = 0.5;

    /// <summary>The parameters the search does not vary.</summary>
    public GbdtParameters Parameters { get; init; } = new();

    /// <summary>How each trial records its performance series (the same blocks for every worker). Missing in older specs: the defaults.</summary>
    public GbdtOverfitOptions Overfit { get; init; } = new();

    /// <summary>What trials are scored on. Missing in specs written before the folds objective: validation, as they ran.</summary>
    public GbdtSearchObjectiveKind Objective { get; init; } = GbdtSearchObjectiveKind.Validation;

    /// <summary>Purged time folds of the folds objective.</summary>
    public int ObjectiveFolds { get; init; } = GbdtSearchOptions.DefaultObjectiveFolds;

    /// <summary>The spec of a search over <paramref name="dataset"/> with the stage settings that shape the objective.</summary>
    public static GbdtStudySpec For(string dataset, string datasetId, GbdtStageOptions stage, GbdtOverfitOptions? overfit = null,
        GbdtSearchObjectiveKind objective = GbdtSearchObjectiveKind.Folds, int objectiveFolds = GbdtSearchOptions.DefaultObjectiveFolds) => new()
    {
        Objective = objective,
        ObjectiveFolds = objectiveFolds,
        Dataset = Path.GetFullPath(dataset),
        DatasetId = datasetId,
        Mode = stage.Mode,
        CalibrationFraction = stage.CalibrationFraction,
        Parameters = stage.Parameters,
        Overfit = overfit ?? new GbdtOverfitOptions(),
    };

    /// <summary>The stage settings the objective uses (everything else at its default).</summary>
    public GbdtStageOptions StageOptions() => new() { Mode = Mode, CalibrationFraction = CalibrationFraction, Parameters = Parameters };

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>(Parameters.Validate());
        if (string.IsNullOrWhiteSpace(Dataset)) problems.Add("dataset: no dataset directory");
        if (string.IsNullOrWhiteSpace(DatasetId)) problems.Add("dataset_id: no dataset id");
        if (!(CalibrationFraction is > 0.05 and < 0.95)) problems.Add($"calibration_fraction must be in (0.05, 0.95), got {CalibrationFraction}");
        problems.AddRange(Overfit.Problems());
        if (ObjectiveFolds is < 2 or > 20) problems.Add($"objective_folds must be in [2, 20], got {ObjectiveFolds}");
        return problems;
    }

    /// <summary>
    /// Checks <paramref name="directory"/> (default: <see cref="Dataset"/>) holds this spec's dataset and
    /// returns its path: a missing directory, a different id or a missing train/val split is a
    /// <see cref="DataException"/> naming <c>dataset.json</c>.
    /// </summary>
    public string CheckDataset(string? directory = null)
    {
        var dir = Path.GetFullPath(directory ?? Dataset);
        var file = Path.Combine(dir, DatasetReader.MetadataFile);
        if (!File.Exists(file))
            throw new DataException(file, null, "dataset", "dataset-missing", $"the study's dataset {DatasetId} is not at {dir} on this machine (worker --dataset gives its path here).");
        var meta = DatasetReader.Open(dir).Metadata;
        if (meta.Id != DatasetId)
            throw new DataException(file, null, "id", "dataset-mismatch", $"this is dataset {meta.Id}, the study searches dataset {DatasetId}.");
        foreach (var split in new[] { GbdtDatasetInput.TrainSplit, GbdtDatasetInput.ValidationSplit })
            if (!meta.Splits.Any(s => s.Name == split))
                throw new DataException(file, null, "splits", "split-missing", $"the dataset has no '{split}' split; the trees need train and val.");
        return dir;
    }

    /// <summary>Opens the dataset (from <paramref name="directory"/> when given; features read from its files in chunks) and builds the search objective.</summary>
    public GbdtSearchObjective CreateObjective(string? directory = null)
    {
        var input = GbdtDatasetInput.Open(CheckDataset(directory), Mode);
        return new GbdtSearchObjective(input.Problem, StageOptions(), Overfit, Objective, ObjectiveFolds);
    }

    public string ToJson() => JsonSerializer.Serialize(this, StudyOptions.Json);

    /// <summary>Reads and validates a spec (every problem together, naming <paramref name="source"/>).</summary>
    public static GbdtStudySpec FromJson(string json, string source = "gbdt objective spec")
    {
        var spec = Parse(json, source);
        var problems = spec.Problems();
        if (problems.Count > 0) throw new ConfigException(source, problems);
        return spec;
    }

    /// <summary>Reads a possibly incomplete spec (unknown keys are errors); missing settings take their defaults.</summary>
    public static GbdtStudySpec Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<GbdtStudySpec>(json, Strict) ?? new GbdtStudySpec();
        }
        catch (JsonException e)
        {
            throw new ConfigException(source, [e.Message]);
        }
    }
}
