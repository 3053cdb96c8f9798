namespace Kairos.Search.Storage;

/// <summary>
/// Where studies live. One interface, two backends: embedded SQLite (default) and PostgreSQL
/// (shared by workers on many machines). Every write made on behalf of a running trial is fenced by
/// its <see cref="TrialLease"/>: a worker that lost its lease gets <see cref="LeaseLostException"/>.
/// </summary>
public interface IStudyStorage : IDisposable
{
    /// <summary>The storage location without secrets, e.g. <c>sqlite:/path/study.db</c>.</summary>
    string Location { get; }

    /// <summary>Creates the study, or loads it and checks the options match (ConfigException listing differences).</summary>
    StudyRecord CreateOrLoadStudy(string name, StudyOptions options, DateTimeOffset now);

    StudyRecord? FindStudy(string name);

    IReadOnlyList<StudySummary> ListStudies();

    /// <summary>Raises the study's trial budget to at least <paramref name="target"/> (never lowers it).</summary>
    int EnsureTargetTrials(long studyId, int target);

    /// <summary>Adds a waiting trial whose parameters are fixed; returns its number.</summary>
    int Enqueue(long studyId, IReadOnlyDictionary<string, (ParamDistribution Distribution, double Value)> fixedParams);

    /// <summary>
    /// In one transaction: fails or re-queues running trials whose heartbeat is older than
    /// <paramref name="staleAfterSeconds"/> (re-queue while lost attempts &lt;= <paramref name="maxRetries"/>),
    /// then hands out the lowest-numbered waiting trial Kairos queued, or creates the next trial within the budget
    /// (numbered as Optuna numbers trials, under the study lock Optuna also takes, so Optuna workers can share the study).
    /// </summary>
    TrialClaim Claim(long studyId, string workerId, double staleAfterSeconds, int maxRetries, DateTimeOffset now);

    /// <summary>Refreshes the lease; false when it was lost.</summary>
    bool Heartbeat(TrialLease lease);

    void SetParam(TrialLease lease, string name, ParamDistribution distribution, double value);

    void SetHistory(TrialLease lease, IReadOnlyList<int> history);

    void SetAttribute(TrialLease lease, string key, string value);

    /// <summary>Stores this trial's value at a successive-halving rung and returns all values at that rung.</summary>
    IReadOnlyList<double> RecordRung(TrialLease lease, int rung, double value);

    /// <summary>Writes the outcome, value, intermediate values and performance blocks (if any) in one transaction.</summary>
    void Finish(TrialLease lease, TrialState state, double? value, IReadOnlyDictionary<long, double> intermediateValues,
        string? failReason, DateTimeOffset now, IReadOnlyList<PerformanceBlock>? blocks = null);

    /// <summary>Hands an interrupted trial back to the queue (does not count as a lost attempt).</summary>
    void Release(TrialLease lease, string reason, DateTimeOffset now);

    /// <summary>Trials of a study, optionally only these states and excluding known numbers, in number order.</summary>
    IReadOnlyList<FrozenTrial> GetTrials(long studyId, IReadOnlyCollection<TrialState>? states = null, IReadOnlySet<int>? excludeNumbers = null);

    IReadOnlyList<TrialAttempt> GetAttempts(long studyId);
}
