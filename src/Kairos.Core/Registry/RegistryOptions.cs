using Kairos.Bundles;

namespace Kairos.Registry;

/// <summary>Settings of a <see cref="ModelRegistry"/>.</summary>
public sealed record RegistryOptions
{
    /// <summary>The running feature code's contract check; every bundle is verified with it before it can become best.</summary>
    public required IFeatureContractAuthority ContractAuthority { get; init; }

    /// <summary>Clock for version names and state records. Default: the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long a writer waits for another writer's lock. Default: 30 s.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
