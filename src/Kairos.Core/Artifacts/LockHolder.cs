using System.Text.Json.Serialization;
using Kairos.Artifacts;

namespace Kairos.Artifacts;

/// <summary>What the holder of an <see cref="ExclusiveLockFile"/> writes into it: who it is, since when, and why.</summary>
public sealed record LockHolder
{
    public required int Pid { get; init; }

    /// <summary>The holder's <see cref="WriterProcess.StartTime"/>: tells it from a later process with the same pid.</summary>
    public required long ProcessStart { get; init; }

    /// <summary>The holder's <see cref="WriterProcess.Host"/>.</summary>
    public required string Host { get; init; }

    /// <summary>The machine name, for people.</summary>
    public required string Machine { get; init; }

    public required DateTimeOffset AcquiredAt { get; init; }

    /// <summary>What the lock is held for, for example <c>kairos run 0123abcd (config /x/run.yaml)</c>.</summary>
    public required string Purpose { get; init; }

    [JsonIgnore]
    public WriterProcess Process => new(Host, Pid, ProcessStart);
}
