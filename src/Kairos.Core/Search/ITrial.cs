namespace Kairos.Search;

/// <summary>
/// The objective's view of one trial (define-by-run, as in Optuna): ask for parameters, report
/// intermediate values, ask whether to stop. Asking again for a name returns the same value.
/// </summary>
public interface ITrial
{
    /// <summary>The trial's number in its study (0, 1, 2, ...), stable across retries.</summary>
    int Number { get; }

    double SuggestFloat(string name, double low, double high, bool log = false);

    long SuggestInt(string name, long low, long high, bool log = false);

    string SuggestCategorical(string name, IReadOnlyList<string> choices);

    /// <summary>Records the objective's value after <paramref name="step"/> (an iteration, an epoch); each step once.</summary>
    void Report(long step, double value);

    /// <summary>True when the study's pruner says this trial should stop: throw <see cref="TrialPrunedException"/> then.</summary>
    bool ShouldPrune();

    /// <summary>Stores a free-form attribute with the trial (for example the best boosting iteration).</summary>
    void SetAttribute(string key, string value);

    /// <summary>
    /// Records the trial's performance per time block (the same blocks for every trial of the study), written with
    /// the result when the trial completes; what <see cref="StudyOverfitting"/> measures selection luck on.
    /// </summary>
    void SetPerformance(IReadOnlyList<PerformanceBlock> blocks);
}
