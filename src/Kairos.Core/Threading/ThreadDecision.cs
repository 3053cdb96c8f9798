namespace Kairos.Threading;

/// <summary>
/// What <see cref="ThreadBudget.Resolve(ThreadSetting)"/> decided for one stage or search trial, and why: recorded in
/// the run files (<c>run.json</c> stage records, <c>gbdt.json</c>, the deep runs' <c>metrics.json</c>) and logged.
/// </summary>
public sealed record ThreadDecision
{
    /// <summary>The setting as written: <c>auto</c> or the fixed count.</summary>
    public required string Setting { get; init; }

    /// <summary>Threads the work uses (at least 1).</summary>
    public required int Threads { get; init; }

    /// <summary>One line a person can read: the cores this process may use and what other processes were using.</summary>
    public required string Reason { get; init; }

    /// <summary>Cores this process may run on: its CPU affinity, capped by a cgroup CPU quota.</summary>
    public required int UsableCores { get; init; }

    /// <summary>The cgroup CPU quota in cores (cpu.max, or cfs_quota_us / cfs_period_us); null when there is none.</summary>
    public double? CpuQuota { get; init; }

    /// <summary>Cores other processes kept busy (on this process's CPUs) over the sample; null when not measured.</summary>
    public double? OtherBusyCores { get; init; }

    /// <summary>Length of that sample, seconds.</summary>
    public double? SampleSeconds { get; init; }

    public DateTimeOffset DecidedAt { get; init; }
}
