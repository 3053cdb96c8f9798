using Kairos.Errors;

namespace Kairos.Bundles;

/// <summary>The result of <see cref="BundleVerifier.Verify"/>: every check, what the bundle claims, and the verdict.</summary>
public sealed record BundleVerification
{
    public required string Directory { get; init; }
    public required IReadOnlyList<VerificationCheck> Checks { get; init; }
    public string? BundleId { get; init; }
    public string? ContentHash { get; init; }
    public string? FeatureContractHash { get; init; }
    public string? ModelVariant { get; init; }

    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>Every problem, prefixed with the check that found it.</summary>
    public IReadOnlyList<string> Failures => Checks.SelectMany(c => c.Problems.Select(p => $"{c.Name}: {p}")).ToArray();

    /// <summary>Throws <see cref="VerificationException"/> naming every failure when any check failed.</summary>
    public BundleVerification ThrowIfFailed()
    {
        if (!Passed) throw new VerificationException($"bundle {Directory}", Failures);
        return this;
    }
}
