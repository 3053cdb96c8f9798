using Kairos.Search;
using Kairos.Search.Storage;

namespace Kairos.Cli.Commands;

/// <summary>The result of <c>kairos study show</c> (also its JSON document).</summary>
public sealed record StudyReport
{
    public required string Study { get; init; }
    public required string Storage { get; init; }
    public required string Direction { get; init; }
    public required string Sampler { get; init; }
    public required string Pruner { get; init; }
    public required long Seed { get; init; }
    public required string ObjectiveKind { get; init; }

    /// <summary>The objective's settings as stored (for <c>gbdt</c>: dataset path and id, mode, basis parameters).</summary>
    public required System.Text.Json.Nodes.JsonNode? ObjectiveSpec { get; init; }
    public required int TargetTrials { get; init; }
    public required int Complete { get; init; }
    public required int Pruned { get; init; }
    public required int Failed { get; init; }
    public required int Running { get; init; }
    public required int Waiting { get; init; }
    public required int RetriedTrials { get; init; }
    public required IReadOnlyList<string> ParameterNames { get; init; }
    public required IReadOnlyList<Row> BestTrials { get; init; }
    public required IReadOnlyList<ParameterImportanceEntry> Importance { get; init; }
    public required string ImportanceMethod { get; init; }

    public sealed record Row(int Number, double Value, double? DurationSeconds, int Attempt, IReadOnlyDictionary<string, object> Params,
        IReadOnlyDictionary<string, string> Attributes);

    public static StudyReport Build(Study study, IStudyStorage storage, int top)
    {
        var trials = study.Trials();
        var o = study.Options;
        var complete = trials.Where(t => t.State == TrialState.Complete).ToList();
        var ordered = o.Direction == StudyDirection.Minimize ? complete.OrderBy(t => t.Value) : complete.OrderByDescending(t => t.Value);
        return new StudyReport
        {
            Study = study.Name,
            Storage = storage.Location,
            Direction = o.Direction.ToString().ToLowerInvariant(),
            Sampler = o.Sampler.ToString().ToLowerInvariant(),
            Pruner = o.Pruner.Kind.ToString().ToLowerInvariant(),
            Seed = o.Seed,
            ObjectiveKind = o.ObjectiveKind,
            ObjectiveSpec = System.Text.Json.Nodes.JsonNode.Parse(o.ObjectiveSpec),
            TargetTrials = storage.FindStudy(study.Name)!.TargetTrials,
            Complete = complete.Count,
            Pruned = trials.Count(t => t.State == TrialState.Pruned),
            Failed = trials.Count(t => t.State == TrialState.Failed),
            Running = trials.Count(t => t.State == TrialState.Running),
            Waiting = trials.Count(t => t.State == TrialState.Waiting),
            RetriedTrials = trials.Count(t => t.LostAttempts > 0),
            ParameterNames = trials.SelectMany(t => t.Params.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            BestTrials = ordered.ThenBy(t => t.Number).Take(top).Select(t => new Row(t.Number, t.Value!.Value, t.DurationSeconds, t.Attempt,
                t.Params.Keys.ToDictionary(k => k, t.UserValue),
                t.Attributes.ToDictionary())).ToList(),
            Importance = ParameterImportance.Compute(trials),
            ImportanceMethod = "importance: chance-corrected main-effect variance share (eta squared over value groups or equal-count bins) " +
                               "of each parameter alone, normalised to sum to 1; interactions are not credited (see docs/search.md)",
        };
    }
}
