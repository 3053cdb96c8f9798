using Kairos.Settings;
using System.Text.Json.Serialization;

namespace Kairos.Deep.Lstm;

/// <summary>
/// TS2Vec's own settings (Yue et al., AAAI 2022, and the authors' <c>ts2vec.py</c>); the defaults are the paper's.
/// Batch size, learning rate and epochs are the shared <see cref="Runs.SequenceTrainingOptions"/> (docs/pretraining.md says
/// how the paper's were scaled to this machine).
/// </summary>
public sealed record Ts2VecOptions
{
    /// <summary>TS2Vec's settings of <c>kairos pretrain --method ts2vec</c>, defined once (the defaults are the paper's).</summary>
    public static class Settings
    {
        public static readonly DoubleSetting Alpha = new("alpha", 0.5, 0, 1, "ts2vec: weight of the instance-wise term, 1 - alpha for the temporal one.");
        public static readonly IntSetting TemporalUnit = new("temporal_unit", 0, 0, 20, "ts2vec: pooling level where the temporal term starts; crops >= 2^(unit+1) bars.");
        public static readonly DoubleSetting TimestampMaskRatio = new("timestamp_mask_ratio", 0.5, 0, 1, "ts2vec: probability that a bar of a view is masked.", MaxExclusive: true);
    }

    /// <summary>Weight of the instance-wise term; the temporal term gets 1 - alpha (<see cref="Settings.Alpha"/>).</summary>
    public double Alpha { get; init; } = Settings.Alpha.Default;
    /// <summary>
    /// The temporal term starts at this pooling level (0: at every level); crops are at least 2^(unit + 1) bars long.
    /// Default 0 (the paper's).
    /// </summary>
    public int TemporalUnit { get; init; } = Settings.TemporalUnit.Default;
    /// <summary>Probability that a timestamp of a view is masked (its input zeroed). Default 0.5 (the paper's binomial mask).</summary>
    public double TimestampMaskRatio { get; init; } = Settings.TimestampMaskRatio.Default;

    /// <summary>Shortest crop: 2^(<see cref="TemporalUnit"/> + 1) bars.</summary>
    [JsonIgnore]
    public int MinimumCropLength => 1 << (TemporalUnit + 1);

    public IReadOnlyList<string> Problems()
    {
        return new[]
        {
            Settings.Alpha.Problem(Alpha, flag: true), Settings.TemporalUnit.Problem(TemporalUnit, flag: true),
            Settings.TimestampMaskRatio.Problem(TimestampMaskRatio, flag: true),
        }.OfType<string>().ToList();
    }
}
