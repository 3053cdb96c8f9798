using Kairos.Artifacts;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kairos.Errors;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;

namespace Kairos.Search;

/// <summary>
/// Everything that defines a study besides its name; stored with the study so that every worker,
/// on any machine, samples, prunes and retries the same way.
/// </summary>
public sealed record StudyOptions
{
    internal static readonly JsonSerializerOptions Json = ArtifactJson.Compact;

    public StudyDirection Direction { get; init; } = StudyDirection.Minimize;

    /// <summary>Fixes the trial sequence (see docs/search.md for exactly what is reproducible).</summary>
    public long Seed { get; init; }

    public SamplerKind Sampler { get; init; } = SamplerKind.Tpe;

    public TpeOptions Tpe { get; init; } = new();

    public PrunerOptions Pruner { get; init; } = new();

    /// <summary>Attempts lost to a dead worker that are retried before the trial is failed (default 1: retry once).</summary>
    public int MaxRetries { get; init; } = 1;

    /// <summary>How often a running trial proves its worker is alive (default 10 s).</summary>
    public double HeartbeatSeconds { get; init; } = 10;

    /// <summary>A running trial without a heartbeat for this long belongs to a dead worker (default 60 s).</summary>
    public double StaleAfterSeconds { get; init; } = 60;

    /// <summary>What <c>kairos worker</c> runs: <c>test</c> (built-in), <c>gbdt</c>; empty for in-process studies.</summary>
    public string ObjectiveKind { get; init; } = "";

    /// <summary>The objective's settings as JSON (for example the dataset directory).</summary>
    public string ObjectiveSpec { get; init; } = "{}";

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        problems.AddRange(Tpe.Problems());
        problems.AddRange(Pruner.Problems());
        if (MaxRetries < 0) problems.Add($"max_retries must be >= 0 (got {MaxRetries})");
        if (!(HeartbeatSeconds > 0)) problems.Add($"heartbeat_seconds must be > 0 (got {HeartbeatSeconds})");
        if (!(StaleAfterSeconds > 2 * HeartbeatSeconds))
            problems.Add($"stale_after_seconds must be more than twice heartbeat_seconds (got {StaleAfterSeconds} vs {HeartbeatSeconds})");
        try
        {
            using var _ = JsonDocument.Parse(ObjectiveSpec);
        }
        catch (JsonException e)
        {
            problems.Add("objective_spec is not valid JSON: " + e.Message);
        }
        return problems;
    }

    public void Validate(string source)
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ConfigException(source, problems);
    }

    public ISampler CreateSampler() => Sampler switch
    {
        SamplerKind.Tpe => new TpeSampler(Tpe),
        SamplerKind.Random => new RandomSampler(),
        _ => throw new ArgumentOutOfRangeException(nameof(Sampler), Sampler, "unknown sampler"),
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StudyOptions FromJson(string json) =>
        JsonSerializer.Deserialize<StudyOptions>(json, Json) ?? throw new JsonException("null study options");
}
