namespace Kairos.Registry;

/// <summary>
/// One immutable record <c>states/&lt;seq&gt;.json</c>, written before the <c>best</c> pointer is switched:
/// which version became best, the versions that were best before it (most recent last: what rollback
/// returns to), and why. The state in force is the newest record whose <see cref="Best"/> is the version
/// the pointer names; a record written by a promote that crashed before switching the pointer is ignored.
/// </summary>
public sealed record RegistryState
{
    public required int SchemaVersion { get; init; }
    public required long Seq { get; init; }
    public required string Best { get; init; }
    public required IReadOnlyList<string> Previous { get; init; }

    /// <summary><c>promote</c> or <c>rollback</c>.</summary>
    public required string Action { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>True when the version was promoted without a gate verdict (<c>--allow-ungated</c>).</summary>
    public bool Ungated { get; init; }
    public string? Reason { get; init; }
}
