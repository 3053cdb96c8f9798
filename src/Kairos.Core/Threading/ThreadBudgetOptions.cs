namespace Kairos.Threading;

/// <summary>Where <see cref="ThreadBudget"/> reads the machine from; every part can be replaced in tests (fake /proc, fake clock).</summary>
public sealed record ThreadBudgetOptions
{
    /// <summary>Clock of the samples (their age and length).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads a file of /proc or /sys (its text, or null when it does not exist or cannot be read).</summary>
    public Func<string, string?> ReadFile { get; init; } = ReadOrNull;

    /// <summary>Waits between the two reads of a fresh sample (a fake clock advances itself here).</summary>
    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    /// <summary>Cores when /proc/self/status does not list the allowed CPUs (not Linux). Default <see cref="Environment.ProcessorCount"/>.</summary>
    public int ProcessorCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Length of a fresh sample of the machine's CPU use. Default 200 ms.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The CPU use since the previous decision is the sample when that decision is at least <see cref="SampleInterval"/>
    /// and at most this old (search trials follow each other without waiting); older: a fresh sample. Default 10 s.
    /// </summary>
    public TimeSpan MaxSampleAge { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the cgroup file systems are mounted. Default <c>/sys/fs/cgroup</c>.</summary>
    public string CgroupRoot { get; init; } = "/sys/fs/cgroup";

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
