namespace Kairos.Bundles;

/// <summary>Positive and negative direction labels in the training split.</summary>
public sealed record ModelCardClassBalance
{
    public required long Pos { get; init; }
    public required long Neg { get; init; }
}
