namespace Kairos.Deep.Hybrid;

/// <summary>How the branch vectors are combined before the fusion MLP.</summary>
public enum FusionKind
{
    /// <summary>Plain concatenation (ENTRY_V10_CTX).</summary>
    Concat,
    /// <summary>Each branch scaled by a learned per-sample gate in (0, 1), then concatenated.</summary>
    Gated,
}
