using System.Text.Json.Serialization;

namespace Kairos.Deep.Lstm;

/// <summary>
/// TS2Vec's own settings (Yue et al., AAAI 2022, and the authors' <c>ts2vec.py</c>); the defaults are the paper's.
/// Batch size, learning rate and epochs are the shared <see cref="Runs.SequenceTrainingOptions"/> (docs/pretraining.md says
/// how the paper's were scaled to this machine).
/// </summary>
public sealed record Ts2VecOptions
{
    /// <summary>Weight of the instance-wise term; the temporal term gets 1 - alpha. Default 0.5 (the paper's).</summary>
    public double Alpha { get; init; } = 0.5;
    /// <summary>
    /// The temporal term starts at this pooling level (0: at every level); crops are at least 2^(unit + 1) bars long.
    /// Default 0 (the paper's).
    /// </summary>
    public int TemporalUnit { get; init; }
    /// <summary>Probability that a timestamp of a view is masked (its input zeroed). Default 0.5 (the paper's binomial mask).</summary>
    public double TimestampMaskRatio { get; init; } = 0.5;

    /// <summary>Shortest crop: 2^(<see cref="TemporalUnit"/> + 1) bars.</summary>
    [JsonIgnore]
    public int MinimumCropLength => 1 << (TemporalUnit + 1);

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (!(Alpha >= 0 && Alpha <= 1)) p.Add($"--alpha must be in [0, 1] (got {Alpha})");
        if (TemporalUnit is < 0 or > 20) p.Add($"--temporal-unit must be in [0, 20] (got {TemporalUnit})");
        if (!(TimestampMaskRatio >= 0 && TimestampMaskRatio < 1)) p.Add($"--timestamp-mask-ratio must be in [0, 1) (got {TimestampMaskRatio})");
        return p;
    }
}
