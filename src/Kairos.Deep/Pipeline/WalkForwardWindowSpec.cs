using System.Text.Json;
using Kairos.Errors;
using Kairos.Search;

namespace Kairos.Pipeline;

/// <summary>
/// The objective spec of a walk-forward study (objective kind <see cref="PipelineObjectives.PipelineWindow"/>), stored
/// with the study so that every <c>kairos worker</c> trains the same windows: the run config file, the snapshot the
/// windows are cut from, and the walk-forward id the worker recomputes from both and checks.
/// </summary>
public sealed record WalkForwardWindowSpec
{
    public required string Config { get; init; }
    public required string Snapshot { get; init; }
    public required string WalkForwardId { get; init; }
    public required IReadOnlyList<string> Windows { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, RunState.Json);

    public static WalkForwardWindowSpec FromJson(string json, string study)
    {
        try
        {
            return JsonSerializer.Deserialize<WalkForwardWindowSpec>(json, RunState.Json)
                   ?? throw new ConfigException($"study '{study}' objective spec", ["the spec is null"]);
        }
        catch (JsonException e)
        {
            throw new ConfigException($"study '{study}' objective spec", [$"not a walk-forward window spec: {e.Message}"]);
        }
    }
}
