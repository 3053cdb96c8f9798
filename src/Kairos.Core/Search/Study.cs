using Kairos.Errors;
using Kairos.Progress;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;

namespace Kairos.Search;

/// <summary>
/// A hyper-parameter search stored in an <see cref="IStudyStorage"/>. Any number of processes may
/// work on one study: each claims trials atomically, proves it is alive with heartbeats, and
/// writes each result in one fenced transaction. The study's budget is a total number of trials,
/// so re-running <see cref="Optimize"/> after an interruption continues where the study stopped.
/// </summary>
public sealed class Study
{
    private static readonly TrialState[] Finished = [TrialState.Complete, TrialState.Pruned, TrialState.Failed];
    private readonly IStudyStorage _storage;
    private readonly TimeProvider _time;
    private readonly Dictionary<int, FrozenTrial> _finished = [];

    private Study(IStudyStorage storage, StudyRecord record, TimeProvider time)
    {
        _storage = storage;
        _time = time;
        Record = record;
    }

    public StudyRecord Record { get; }

    public string Name => Record.Name;

    public StudyOptions Options => Record.Options;

    public static Study CreateOrLoad(IStudyStorage storage, string name, StudyOptions options, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return new Study(storage, storage.CreateOrLoadStudy(name, options, time.GetUtcNow()), time);
    }

    public static Study Load(IStudyStorage storage, string name, TimeProvider? time = null)
    {
        var record = storage.FindStudy(name)
            ?? throw new ConfigException(storage.Location, [$"no study named '{name}' (kairos study list --storage {storage.Location} lists them)"]);
        return new Study(storage, record, time ?? TimeProvider.System);
    }

    /// <summary>Raises the study's budget to <paramref name="nTrials"/> trials in total and works until all are finished.</summary>
    public StudyRunReport Optimize(Func<ITrial, double> objective, int nTrials, IProgressSink? progress = null, CancellationToken cancellation = default)
    {
        if (nTrials < 1) throw new ConfigException($"study '{Name}'", [$"the number of trials must be at least 1 (got {nTrials})"]);
        _storage.EnsureTargetTrials(Record.StudyId, nTrials);
        return Work(objective, NewWorkerId(), progress, cancellation);
    }

    /// <summary>
    /// Claims and runs trials until the study's budget is finished (waiting while other workers
    /// still run trials that might be re-queued), or <paramref name="maxTrials"/> trials were run here.
    /// </summary>
    public StudyRunReport Work(Func<ITrial, double> objective, string workerId, IProgressSink? progress = null,
        CancellationToken cancellation = default, int? maxTrials = null)
    {
        var started = _time.GetTimestamp();
        var sampler = Options.CreateSampler();
        var pruner = Options.Pruner.Create();
        int complete = 0, pruned = 0, failed = 0, lost = 0;
        using var task = (progress ?? NullProgressSink.Instance).Start($"study {Name}", Record.TargetTrials);
        while (maxTrials is null || complete + pruned + failed + lost < maxTrials)
        {
            cancellation.ThrowIfCancellationRequested();
            var claim = _storage.Claim(Record.StudyId, workerId, Options.StaleAfterSeconds, Options.MaxRetries, _time.GetUtcNow());
            if (claim.Status == ClaimStatus.Done) break;
            if (claim.Status == ClaimStatus.Wait)
            {
                Task.Delay(TimeSpan.FromSeconds(Math.Min(Options.HeartbeatSeconds, 1.0)), _time, cancellation).GetAwaiter().GetResult();
                continue;
            }
            var lease = claim.Lease!;
            var outcome = RunTrial(objective, sampler, pruner, claim, lease, cancellation);
            switch (outcome)
            {
                case TrialState.Complete: complete++; break;
                case TrialState.Pruned: pruned++; break;
                case TrialState.Failed: failed++; break;
                default: lost++; break;
            }
            task.Advance(1);
            task.SetDescription($"study {Name}: {complete} complete, {pruned} pruned, {failed} failed");
        }
        return new StudyRunReport(workerId, complete, pruned, failed, lost, _time.GetElapsedTime(started));
    }

    public IReadOnlyList<FrozenTrial> Trials() => _storage.GetTrials(Record.StudyId);

    /// <summary>The best complete trial, or null when none completed.</summary>
    public FrozenTrial? BestTrial()
    {
        var complete = _storage.GetTrials(Record.StudyId, [TrialState.Complete]);
        if (complete.Count == 0) return null;
        return Options.Direction == StudyDirection.Minimize
            ? complete.MinBy(t => t.Value!.Value)
            : complete.MaxBy(t => t.Value!.Value);
    }

    /// <summary>Queues a trial with fixed parameters (run before any newly sampled trial); returns its number.</summary>
    public int Enqueue(IReadOnlyDictionary<string, (ParamDistribution Distribution, double Value)> fixedParams)
    {
        var problems = new List<string>();
        foreach (var (name, (d, v)) in fixedParams)
        {
            problems.AddRange(d.Problems(name));
            if (!d.Contains(v)) problems.Add($"{name}: {v} is not a value of {d.ToJson()}");
        }
        if (problems.Count > 0) throw new ConfigException($"study '{Name}' enqueue", problems);
        return _storage.Enqueue(Record.StudyId, fixedParams);
    }

    /// <summary>
    /// Work items by name: queues one trial per name of <paramref name="names"/> (fixed categorical parameter
    /// <paramref name="param"/>) that is neither <paramref name="done"/> nor already waiting or running (an item that
    /// failed, or whose worker died twice, is queued once more), and raises the budget to cover them. Returns how many
    /// were queued.
    /// </summary>
    public int EnqueueEach(string param, IReadOnlyList<string> names, Func<string, bool> done)
    {
        var trials = Trials();
        var distribution = new CategoricalDistribution(names);
        var queued = 0;
        for (var k = 0; k < names.Count; k++)
        {
            if (done(names[k])) continue;
            if (trials.Any(t => t.Params.ContainsKey(param) && (string)t.UserValue(param) == names[k] && t.State is TrialState.Waiting or TrialState.Running)) continue;
            Enqueue(new Dictionary<string, (ParamDistribution, double)> { [param] = (distribution, k) });
            queued++;
        }
        _storage.EnsureTargetTrials(Record.StudyId, trials.Count + queued);
        return queued;
    }

    public static string NewWorkerId() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Runs one claimed trial; returns its final state, or Waiting when the lease was lost.</summary>
    private TrialState RunTrial(Func<ITrial, double> objective, ISampler sampler, IPruner pruner, TrialClaim claim, TrialLease lease,
        CancellationToken cancellation)
    {
        using var heartbeat = new TrialHeartbeat(_storage, lease, TimeSpan.FromSeconds(Options.HeartbeatSeconds), _time);
        try
        {
            var history = History(claim, lease);
            var trial = new Trial(_storage, sampler, pruner, new SamplingContext(Options.Seed, lease.Number, Options.Direction, history), lease,
                claim.FixedParams);
            double value;
            try
            {
                value = objective(trial);
            }
            catch (TrialPrunedException)
            {
                var last = trial.IntermediateValues.Count == 0 ? (double?)null : trial.IntermediateValues.Last().Value;
                return Finish(lease, TrialState.Pruned, last is { } l && double.IsFinite(l) ? l : null, trial, null);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                heartbeat.Dispose();
                _storage.Release(lease, "cancelled by the user", _time.GetUtcNow());
                throw;
            }
            catch (Exception e) when (e is not LeaseLostException)
            {
                heartbeat.Dispose();
                Finish(lease, TrialState.Failed, null, trial, $"{e.GetType().Name}: {e.Message}");
                throw;
            }
            return double.IsFinite(value)
                ? Finish(lease, TrialState.Complete, value, trial, null)
                : Finish(lease, TrialState.Failed, null, trial, $"objective returned {value}");
        }
        catch (LeaseLostException)
        {
            return TrialState.Waiting;
        }
    }

    private TrialState Finish(TrialLease lease, TrialState state, double? value, Trial trial, string? reason)
    {
        _storage.Finish(lease, state, value, trial.IntermediateValues, reason, _time.GetUtcNow(), state == TrialState.Complete ? trial.Blocks : null);
        return state;
    }

    /// <summary>
    /// The finished trials the sampler sees: those recorded by an earlier attempt of this trial, or
    /// else every complete or pruned trial right now (recorded with the trial, so a retry samples
    /// any remaining parameters exactly as the first attempt would have).
    /// </summary>
    private IReadOnlyList<FrozenTrial> History(TrialClaim claim, TrialLease lease)
    {
        foreach (var t in _storage.GetTrials(Record.StudyId, Finished, _finished.Keys.ToHashSet()))
            _finished[t.Number] = t;
        if (claim.History is { } numbers)
            return numbers.Where(_finished.ContainsKey).Select(n => _finished[n]).OrderBy(t => t.Number).ToList();
        var history = _finished.Values
            .Where(t => t.State is TrialState.Complete or TrialState.Pruned)
            .OrderBy(t => t.Number)
            .ToList();
        _storage.SetHistory(lease, history.Select(t => t.Number).ToList());
        return history;
    }
}
