using Kairos.Artifacts;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kairos.Errors;

namespace Kairos.Pipeline;

/// <summary>
/// <c>out/runs/&lt;run_id&gt;/run.json</c>: every stage of one run with its status, input key, artifact and
/// wall time, rewritten atomically (temporary sibling + rename) after every change, so an interrupted run
/// leaves the state of its last finished stage and the stage it was in.
/// </summary>
public sealed record RunState
{
    public const string FileName = "run.json";
    public const int CurrentSchemaVersion = 1;

    public static readonly JsonSerializerOptions Json = ArtifactJson.With(o => o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

    public string Kind { get; init; } = "kairos.run_state";
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public int MinReaderVersion { get; init; } = 1;
    public required string RunId { get; init; }
    public required string ConfigFile { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many times <c>kairos run</c> worked on this run (1 for an uninterrupted first run).</summary>
    public int Attempts { get; init; }

    public required IReadOnlyList<RunStageRecord> Stages { get; init; }

    /// <summary>The gate verdict (<c>passed</c>, <c>failed</c>, <c>no_baseline</c>) once known.</summary>
    public string? Gate { get; init; }

    /// <summary>The comparison of the families of <c>compare:</c> on the same test rows (absent without <c>compare:</c>).</summary>
    public Kairos.Evaluation.ModelComparison? Comparison { get; init; }

    public RunStageRecord? Stage(string name) => Stages.FirstOrDefault(s => s.Name == name);

    public RunState With(RunStageRecord record) =>
        this with { Stages = Stages.Select(s => s.Name == record.Name ? record : s).ToArray() };

    public static RunState? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var state = JsonSerializer.Deserialize<RunState>(File.ReadAllText(path), Json)
                ?? throw new DataException(path, "run-state", "the file is empty");
            ArtifactVersion.EnsureReadable(path, "run state", state.MinReaderVersion, CurrentSchemaVersion);
            return state;
        }
        catch (JsonException e)
        {
            throw new DataException(path, e.LineNumber + 1, null, "run-state", $"not a readable run state ({e.Message}); delete the run directory to start over", e);
        }
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}
