using Kairos.Errors;
using Kairos.Progress;
using Kairos.Search;

namespace Kairos.Trees;

/// <summary>Runs (or resumes) a stored study over <see cref="GbdtSearchSpace"/> and returns the best parameters.</summary>
public static class GbdtSearch
{
    /// <summary>What a search found.</summary>
    public sealed record Outcome(string Storage, string Study, GbdtParameters Best, double BestValue, int BestTrial, int Complete, int Pruned, int Failed, double Seconds);

    public static Outcome Run(GbdtProblem problem, GbdtStageOptions options, GbdtSearchOptions search, IStudyStorage storage, string studyName, IProgressSink progress)
    {
        var problems = search.Validate();
        if (search.Trials < 1) problems = [.. problems, $"trials must be >= 1 to search, got {search.Trials}"];
        if (problems.Count > 0) throw new ConfigException("gbdt search", problems);
        var study = Study.CreateOrLoad(storage, studyName, new StudyOptions { Seed = search.Seed, Sampler = search.Sampler, Pruner = search.Pruner });
        using var objective = new GbdtSearchObjective(problem, options);
        var report = study.Optimize(objective.Evaluate, search.Trials, progress);
        var trials = study.Trials();
        var best = study.BestTrial() ?? throw new ConfigException($"study '{studyName}'",
            ["no trial completed: every trial was pruned or failed" + (trials.LastOrDefault(t => t.FailReason is not null)?.FailReason is { } reason ? $" (last failure: {reason})" : "")]);
        return new Outcome(storage.Location, studyName, GbdtSearchSpace.FromTrial(best, options.Parameters), best.Value!.Value, best.Number,
            trials.Count(t => t.State == TrialState.Complete), trials.Count(t => t.State == TrialState.Pruned), trials.Count(t => t.State == TrialState.Failed),
            report.Elapsed.TotalSeconds);
    }
}
