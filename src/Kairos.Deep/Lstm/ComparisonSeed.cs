namespace Kairos.Deep.Lstm;

/// <summary>One seed of the comparison: every arm's runs and scores.</summary>
public sealed record ComparisonSeed(long Seed, IReadOnlyList<ComparisonArm> Arms)
{
    /// <summary>The arm called <paramref name="name"/>.</summary>
    public ComparisonArm Arm(string name) => Arms.Single(a => a.Name == name);
}
