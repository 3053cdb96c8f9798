using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>Everything that decides a masked-autoencoder pretraining run. Defaults follow seed 003.</summary>
public sealed record PretrainOptions
{
    public SequenceTrainingOptions Training { get; init; } = new() { Epochs = 50 };
    public BiLstmEncoderOptions Encoder { get; init; } = new();
    /// <summary>Fraction of positions hidden per window. Default 0.15.</summary>
    public double MaskRatio { get; init; } = 0.15;
    /// <summary><c>random</c> positions or whole <c>patch</c>es. Default patch.</summary>
    public MaskingStrategy Masking { get; init; } = MaskingStrategy.Patch;
    /// <summary>Bars per patch (patch masking). Default 5.</summary>
    public int PatchLength { get; init; } = 5;

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>(Training.Problems());
        p.AddRange(Encoder.Problems().Select(x => "--" + x.Replace("_", "-", StringComparison.Ordinal)));
        if (!(MaskRatio > 0 && MaskRatio < 1)) p.Add($"--mask-ratio must be in (0, 1) (got {MaskRatio})");
        if (!Enum.IsDefined(Masking)) p.Add($"--masking must be random or patch (got {Masking})");
        if (PatchLength <= 0) p.Add($"--patch-length must be positive (got {PatchLength})");
        return p;
    }
}
