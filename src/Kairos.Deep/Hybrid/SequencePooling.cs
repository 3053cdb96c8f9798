namespace Kairos.Deep.Hybrid;

/// <summary>How the sequence encoder turns <c>[B, L, d]</c> into <c>[B, d]</c>.</summary>
public enum SequencePooling
{
    /// <summary>
    /// The decision bar's (last position's) output. The last encoder layer then computes queries,
    /// attention output and feed-forward for that position only: the same result for about a quarter less work.
    /// </summary>
    Last,
    /// <summary>The mean over all positions.</summary>
    Mean,
}
