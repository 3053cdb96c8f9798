using Kairos.Settings;
using System.Text.Json.Serialization;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>Everything that decides a pretraining run (masked autoencoder or TS2Vec). Defaults follow seed 003.</summary>
public sealed record PretrainOptions
{
    /// <summary>The masked autoencoder's settings of <c>kairos pretrain</c>, defined once.</summary>
    public static class Settings
    {
        public static readonly DoubleSetting MaskRatio = new("mask_ratio", 0.15, 0, 1, "masked: fraction of positions hidden per window.", MinExclusive: true, MaxExclusive: true);
        public static readonly IntSetting PatchLength = new("patch_length", 5, 1, 10_000, "masked: bars per patch with --masking patch.");
    }

    /// <summary>Masked autoencoder or TS2Vec. Default masked.</summary>
    public PretrainingMethod Method { get; init; } = PretrainingMethod.Masked;
    public SequenceTrainingOptions Training { get; init; } = new() { Epochs = 50 };
    public BiLstmEncoderOptions Encoder { get; init; } = new();
    /// <summary>Fraction of positions hidden per window, masked (<see cref="Settings.MaskRatio"/>).</summary>
    public double MaskRatio { get; init; } = Settings.MaskRatio.Default;
    /// <summary><c>random</c> positions or whole <c>patch</c>es (masked). Default patch.</summary>
    public MaskingStrategy Masking { get; init; } = MaskingStrategy.Patch;
    /// <summary>Bars per patch, patch masking (<see cref="Settings.PatchLength"/>).</summary>
    public int PatchLength { get; init; } = Settings.PatchLength.Default;
    /// <summary>TS2Vec's settings (used with <see cref="PretrainingMethod.Ts2Vec"/>).</summary>
    [JsonPropertyName("ts2vec")]
    public Ts2VecOptions Ts2Vec { get; init; } = new();

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>(Training.Problems());
        p.AddRange(Encoder.Problems().Select(x => "--" + x.Replace("_", "-", StringComparison.Ordinal)));
        if (!Enum.IsDefined(Method)) p.Add($"--method must be masked or ts2vec (got {Method})");
        if (Settings.MaskRatio.Problem(MaskRatio, flag: true) is { } maskRatio) p.Add(maskRatio);
        if (!Enum.IsDefined(Masking)) p.Add($"--masking must be random or patch (got {Masking})");
        if (Settings.PatchLength.Problem(PatchLength, flag: true) is { } patchLength) p.Add(patchLength);
        p.AddRange(Ts2Vec.Problems());
        return p;
    }
}
