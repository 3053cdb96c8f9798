namespace Kairos.Bundles;

/// <summary>One named check of a verification, whether it passed, and every problem it found.</summary>
public sealed record VerificationCheck
{
    public required string Name { get; init; }
    public required bool Passed { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    public string? Detail { get; init; }
}
