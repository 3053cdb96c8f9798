using Kairos.Deep.Runs;

namespace Kairos.Deep.Lstm;

/// <summary>Everything that decides a <c>kairos train lstm</c> run. Defaults follow seed 003 (5 frozen + 25 unfrozen epochs).</summary>
public sealed record LstmTrainerOptions
{
    public SequenceTrainingOptions Training { get; init; } = new() { BatchSize = 128 };
    /// <summary>Encoder shape when no pretrained encoder is given (a pretrained encoder brings its own).</summary>
    public BiLstmEncoderOptions Encoder { get; init; } = new();
    /// <summary>Train the head with the pretrained encoder frozen for the first <see cref="FreezeEpochs"/> epochs. Needs an encoder.</summary>
    public bool FreezeEncoder { get; init; }
    /// <summary>Frozen epochs when <see cref="FreezeEncoder"/>. Default 5.</summary>
    public int FreezeEpochs { get; init; } = 5;
    /// <summary>Learning rate of a pretrained encoder, once unfrozen, as a fraction of the head's. Default 0.1.</summary>
    public double EncoderLearningRateRatio { get; init; } = 0.1;
    /// <summary>Hidden width of the MLP head. Default 64.</summary>
    public int HeadHidden { get; init; } = 64;
    /// <summary>Dropout in the MLP head. Default 0.1.</summary>
    public double HeadDropout { get; init; } = 0.1;
    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>Every problem with these options; <paramref name="hasEncoder"/>: a pretrained encoder was given.</summary>
    public IReadOnlyList<string> Problems(bool hasEncoder)
    {
        var p = new List<string>(Training.Problems());
        p.AddRange(Encoder.Problems().Select(x => "--" + x.Replace("_", "-", StringComparison.Ordinal)));
        p.AddRange(Augmentation.Problems());
        if (FreezeEncoder && !hasEncoder) p.Add("--freeze-encoder needs a pretrained encoder (--encoder DIR)");
        if (FreezeEncoder && (FreezeEpochs <= 0 || FreezeEpochs >= Training.Epochs))
            p.Add($"--freeze-epochs must be in [1, --epochs) so that unfrozen epochs follow (got {FreezeEpochs} of {Training.Epochs})");
        if (!(EncoderLearningRateRatio > 0 && EncoderLearningRateRatio <= 1)) p.Add($"--encoder-lr-ratio must be in (0, 1] (got {EncoderLearningRateRatio})");
        if (HeadHidden <= 0) p.Add($"--head-hidden must be positive (got {HeadHidden})");
        if (!(HeadDropout >= 0 && HeadDropout < 1)) p.Add($"--head-dropout must be in [0, 1) (got {HeadDropout})");
        return p;
    }
}
