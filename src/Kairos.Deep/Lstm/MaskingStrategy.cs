namespace Kairos.Deep.Lstm;

/// <summary>Which positions of a window the masked autoencoder hides.</summary>
public enum MaskingStrategy
{
    /// <summary>Each window hides round(ratio x L) positions (at least one) drawn at random.</summary>
    Random,
    /// <summary>The window is cut into patches of <c>patch_length</c> bars; round(ratio x patches) whole patches (at least one) are hidden.</summary>
    Patch,
}
