namespace Kairos.Bundles;

/// <summary>The promotion gate verdict recorded in the bundle, against which baseline.</summary>
public sealed record ModelCardGate
{
    /// <summary><c>passed</c>, <c>failed</c>, or <c>absent</c> when no verdict was supplied.</summary>
    public required string Verdict { get; init; }
    public string? Baseline { get; init; }
    public string? File { get; init; }
}
