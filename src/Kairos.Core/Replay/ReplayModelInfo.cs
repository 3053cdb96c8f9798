namespace Kairos.Replay;

/// <summary>
/// Identifies the model a replay ran: a display name, and for a bundle its id, path, contract hash, variant and
/// which of its models gave <c>p_long</c>.
/// </summary>
public sealed record ReplayModelInfo
{
    public required string Name { get; init; }
    public string? BundleId { get; init; }
    public string? BundlePath { get; init; }
    public string? FeatureContractHash { get; init; }
    public string? ModelVariant { get; init; }

    /// <summary>Which of the bundle's models gave <c>p_long</c> (JSON <c>p_long_source</c>: <c>trees</c> or <c>hybrid</c>); null for a model that is not a bundle.</summary>
    public PLongSource? PLongSource { get; init; }

    /// <summary>Why that model (<see cref="PLongSelection.Reason"/>: <c>--p-long trees</c>, or auto and what the bundle records); null for a model that is not a bundle.</summary>
    public string? PLongReason { get; init; }
}
