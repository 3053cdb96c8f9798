namespace Kairos.Deep.Hybrid;

/// <summary>How the sequence encoder tells bar positions apart.</summary>
public enum PositionEncoding
{
    /// <summary>A learned vector per position (initialised at zero).</summary>
    Learned,
    /// <summary>Fixed sinusoidal vectors (Vaswani et al.).</summary>
    Sinusoidal,
    /// <summary>No position information (attention is then order-blind).</summary>
    None,
}
