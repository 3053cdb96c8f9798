using Kairos.Deep.Runs;
using Kairos.Settings;

namespace Kairos.Deep.Lstm;

/// <summary>Everything that decides a <c>kairos train lstm</c> run. Defaults follow seed 003 (5 frozen + 25 unfrozen epochs).</summary>
public sealed record LstmTrainerOptions
{
    /// <summary>The classifier head's settings of <c>kairos train lstm</c> (and <c>head_hidden</c> of the run config's <c>lstm:</c> section), defined once.</summary>
    public static class Settings
    {
        public static readonly DoubleSetting EncoderLearningRateRatio = new("encoder_lr_ratio", 0.1, 0, 1, "Learning rate of a pretrained encoder once unfrozen, as a fraction of --lr.", MinExclusive: true);
        public static readonly IntSetting HeadHidden = new("head_hidden", 64, 1, 65_536, "Hidden width of the MLP head.");
        public static readonly DoubleSetting HeadDropout = new("head_dropout", 0.1, 0, 1, "Dropout in the MLP head.", MaxExclusive: true);
    }

    public SequenceTrainingOptions Training { get; init; } = new() { BatchSize = 128 };
    /// <summary>Encoder shape when no pretrained encoder is given (a pretrained encoder brings its own).</summary>
    public BiLstmEncoderOptions Encoder { get; init; } = new();
    /// <summary>Train the head with the pretrained encoder frozen for the first <see cref="FreezeEpochs"/> epochs. Needs an encoder.</summary>
    public bool FreezeEncoder { get; init; }
    /// <summary>Frozen epochs when <see cref="FreezeEncoder"/>. Default 5.</summary>
    public int FreezeEpochs { get; init; } = 5;
    /// <summary>Learning rate of a pretrained encoder, once unfrozen, as a fraction of the head's (<see cref="Settings.EncoderLearningRateRatio"/>).</summary>
    public double EncoderLearningRateRatio { get; init; } = Settings.EncoderLearningRateRatio.Default;
    /// <summary>Hidden width of the MLP head (<see cref="Settings.HeadHidden"/>).</summary>
    public int HeadHidden { get; init; } = Settings.HeadHidden.Default;
    /// <summary>Dropout in the MLP head (<see cref="Settings.HeadDropout"/>).</summary>
    public double HeadDropout { get; init; } = Settings.HeadDropout.Default;
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
        p.AddRange(new[]
        {
            Settings.EncoderLearningRateRatio.Problem(EncoderLearningRateRatio, flag: true), Settings.HeadHidden.Problem(HeadHidden, flag: true),
            Settings.HeadDropout.Problem(HeadDropout, flag: true),
        }.OfType<string>());
        return p;
    }
}
