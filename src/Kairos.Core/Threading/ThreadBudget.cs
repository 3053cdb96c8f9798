using System.Globalization;

namespace Kairos.Threading;

/// <summary>
/// Decides how many threads a stage or search trial uses. A fixed <see cref="ThreadSetting"/> is taken as it is;
/// <see cref="ThreadSetting.Auto"/> becomes the cores this process may use (its CPU affinity, capped by a cgroup CPU
/// quota rounded down) less the cores other processes kept busy on those CPUs (rounded to the nearest whole core),
/// at least 1. Other processes' use is the busy time of the allowed CPUs in /proc/stat less this process's own
/// (/proc/self/stat) over a sample: the time since the previous decision when that was recent (consecutive search
/// trials), otherwise a fresh sample of <see cref="ThreadBudgetOptions.SampleInterval"/>. One instance per process
/// (or per run) keeps the previous sample; it is safe to call from several threads.
/// </summary>
public sealed class ThreadBudget
{
    private readonly ThreadBudgetOptions _options;
    private readonly Lock _gate = new();
    private Sample? _last;

    public ThreadBudget() : this(new ThreadBudgetOptions())
    {
    }

    public ThreadBudget(ThreadBudgetOptions options) => _options = options;

    /// <summary>The decision for <see cref="ThreadSetting.Auto"/>.</summary>
    public ThreadDecision Resolve() => Resolve(ThreadSetting.Auto);

    /// <summary>The thread count for <paramref name="setting"/> now, with the reason.</summary>
    public ThreadDecision Resolve(ThreadSetting setting)
    {
        var now = _options.Time.GetUtcNow();
        var allowed = ProcCpu.AllowedCpus(_options.ReadFile("/proc/self/status"));
        var affinity = allowed?.Count ?? Math.Max(1, _options.ProcessorCount);
        var quota = ProcCpu.CpuQuota(_options.ReadFile("/proc/self/cgroup"), _options.CgroupRoot, _options.ReadFile);
        var usable = quota is { } q ? Math.Clamp((int)Math.Floor(q + 1e-9), 1, affinity) : affinity;
        var cores = string.Create(CultureInfo.InvariantCulture,
            $"{usable} usable core(s): {(allowed is null ? $"{affinity} processor(s)" : "CPUs " + CpuList(allowed))}, {(quota is { } cq ? $"cgroup CPU quota {cq:0.##}" : "no cgroup CPU quota")}");
        var decision = new ThreadDecision { Setting = setting.ToString(), Threads = 1, Reason = "", UsableCores = usable, CpuQuota = quota, DecidedAt = now };
        if (setting.Count is { } n)
            return decision with { Threads = n, Reason = $"fixed at {n} by the setting ({cores})" };
        if (allowed is null)
            return decision with { Threads = usable, Reason = $"auto: {usable} ({cores}; the load of other processes is unknown: no /proc/self/status)" };

        var (start, end) = Measure(allowed);
        if (start is null || end is null || end.Total <= start.Total)
            return decision with { Threads = usable, Reason = $"auto: {usable} ({cores}; the load of other processes is unknown: /proc/stat or /proc/self/stat unreadable)" };
        var ticksPerCpu = (double)(end.Total - start.Total) / allowed.Count;
        var others = Math.Clamp((end.Busy - start.Busy - (end.Self - start.Self)) / ticksPerCpu, 0, allowed.Count);
        var threads = Math.Clamp((int)Math.Floor(allowed.Count - others + 0.5), 1, usable);
        var seconds = _options.Time.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        return decision with
        {
            Threads = threads,
            OtherBusyCores = Math.Round(others, 3),
            SampleSeconds = Math.Round(seconds, 3),
            Reason = string.Create(CultureInfo.InvariantCulture,
                $"auto: {threads} of {cores}; other processes kept {others:0.00} core(s) busy over the last {seconds:0.00} s"),
        };
    }

    /// <summary>Two samples of the allowed CPUs: the previous decision's and now when that is recent enough, else now and one interval later.</summary>
    private (Sample? Start, Sample? End) Measure(SortedSet<int> allowed)
    {
        var key = CpuList(allowed);
        lock (_gate)
        {
            var now = Take(allowed, key);
            if (now is null) return (null, null);
            var previous = _last;
            _last = now;
            if (previous is not null && previous.Cpus == key)
            {
                var age = _options.Time.GetElapsedTime(previous.Timestamp, now.Timestamp);
                if (age >= _options.SampleInterval && age <= _options.MaxSampleAge) return (previous, now);
            }
            _options.Sleep(_options.SampleInterval);
            var end = Take(allowed, key);
            if (end is not null) _last = end;
            return (now, end);
        }
    }

    private Sample? Take(SortedSet<int> allowed, string key)
    {
        var self = ProcCpu.ProcessTicks(_options.ReadFile("/proc/self/stat"));
        var ticks = ProcCpu.CpuTicks(_options.ReadFile("/proc/stat"), allowed);
        return self is null || ticks is null ? null : new Sample(key, _options.Time.GetTimestamp(), ticks.Value.Busy, ticks.Value.Total, self.Value);
    }

    /// <summary>A CPU set written as Linux writes it: <c>0-3,6</c>.</summary>
    private static string CpuList(SortedSet<int> cpus)
    {
        var parts = new List<string>();
        int? from = null, to = null;
        foreach (var c in cpus.Append(int.MinValue))
        {
            if (from is not null && c == to + 1)
            {
                to = c;
                continue;
            }
            if (from is not null) parts.Add(from == to ? $"{from}" : $"{from}-{to}");
            from = to = c;
        }
        return string.Join(',', parts);
    }

    private sealed record Sample(string Cpus, long Timestamp, long Busy, long Total, long Self);
}
