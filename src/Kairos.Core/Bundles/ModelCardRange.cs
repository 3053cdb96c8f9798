namespace Kairos.Bundles;

/// <summary>A time range (UTC, ISO 8601): first and last decision bar of the training split.</summary>
public sealed record ModelCardRange
{
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
}
