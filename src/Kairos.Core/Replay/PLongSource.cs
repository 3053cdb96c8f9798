namespace Kairos.Replay;

/// <summary>Which of a bundle's models gives <c>p_long</c> in replay.</summary>
public enum PLongSource
{
    /// <summary>The hybrid model's direction head (needs the hybrid runtime, Kairos.Deep).</summary>
    Hybrid,
    /// <summary>The trees' calibrated per-session probability of <c>y_direction</c> (<c>p_cal</c>).</summary>
    Trees,
}
