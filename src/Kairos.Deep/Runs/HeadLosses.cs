namespace Kairos.Deep.Runs;

/// <summary>
/// Mean loss of each head over an epoch (unweighted terms) and the weighted total. A head the model does not
/// have is null: the hybrid model has direction, early move, quality (and gate stability when gated); the
/// LSTM classifier direction only; the masked autoencoder reconstruction only.
/// </summary>
public sealed record HeadLosses(double? Direction, double? EarlyMove, double? Quality, double? GateStability, double Total)
{
    /// <summary>Masked-position reconstruction loss (masked autoencoder pretraining only).</summary>
    public double? Reconstruction { get; init; }
}
