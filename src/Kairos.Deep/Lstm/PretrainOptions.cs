using System.Text.Json.Serialization;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>Everything that decides a pretraining run (masked autoencoder or TS2Vec). Defaults follow seed 003.</summary>
public sealed record PretrainOptions
{
    /// <summary>Masked autoencoder or TS2Vec. Default masked.</summary>
    public PretrainingMethod Method { get; init; } = PretrainingMethod.Masked;
    public SequenceTrainingOptions Training { get; init; } = new() { Epochs = 50 };
    public BiLstmEncoderOptions Encoder { get; init; } = new();
    /// <summary>Fraction of positions hidden per window (masked). Default 0.15.</summary>
    public double MaskRatio { get; init; } = 0.15;
    /// <summary><c>random</c> positions or whole <c>patch</c>es (masked). Default patch.</summary>
    public MaskingStrategy Masking { get; init; } = MaskingStrategy.Patch;
    /// <summary>Bars per patch (patch masking). Default 5.</summary>
    public int PatchLength { get; init; } = 5;
    /// <summary>TS2Vec's settings (used with <see cref="PretrainingMethod.Ts2Vec"/>).</summary>
    [JsonPropertyName("ts2vec")]
    public Ts2VecOptions Ts2Vec { get; init; } = new();

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>(Training.Problems());
        p.AddRange(Encoder.Problems().Select(x => "--" + x.Replace("_", "-", StringComparison.Ordinal)));
        if (!Enum.IsDefined(Method)) p.Add($"--method must be masked or ts2vec (got {Method})");
        if (!(MaskRatio > 0 && MaskRatio < 1)) p.Add($"--mask-ratio must be in (0, 1) (got {MaskRatio})");
        if (!Enum.IsDefined(Masking)) p.Add($"--masking must be random or patch (got {Masking})");
        if (PatchLength <= 0) p.Add($"--patch-length must be positive (got {PatchLength})");
        p.AddRange(Ts2Vec.Problems());
        return p;
    }
}
