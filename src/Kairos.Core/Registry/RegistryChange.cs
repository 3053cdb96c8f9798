namespace Kairos.Registry;

/// <summary>What a promote or rollback did: the best version before and after, and the state record written.</summary>
public sealed record RegistryChange
{
    public required string Action { get; init; }
    public string? From { get; init; }
    public required string To { get; init; }
    public required bool Changed { get; init; }
    public required bool Registered { get; init; }
    public RegistryState? State { get; init; }
}
