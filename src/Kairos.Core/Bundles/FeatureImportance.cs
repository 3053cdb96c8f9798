namespace Kairos.Bundles;

/// <summary>Total gain of one feature over the tree models.</summary>
public sealed record FeatureImportance
{
    public required string Name { get; init; }
    public required double Gain { get; init; }
}
