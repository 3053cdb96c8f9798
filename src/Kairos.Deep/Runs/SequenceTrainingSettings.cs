using Kairos.Settings;

namespace Kairos.Deep.Runs;

/// <summary>
/// The shared training settings (<see cref="SequenceTrainingOptions.Settings"/>: key, range, help) with one model family's
/// defaults, taken from that family's options record (the hybrid's <c>HybridTrainerOptions.DefaultTraining</c>, the TFT's,
/// the LSTM's, pretraining's). The command-line options (<c>SettingOption.Create</c>) and the run config's deep sections
/// (<c>YamlSection.Int(setting)</c>) both read a family's settings from here, so a flag's help, its default and the YAML
/// default cannot differ from the record the trainer gets when nothing is set.
/// </summary>
public sealed class SequenceTrainingSettings
{
    public SequenceTrainingSettings(SequenceTrainingOptions defaults)
    {
        Defaults = defaults;
        Seed = SequenceTrainingOptions.Settings.Seed with { Default = checked((int)defaults.Seed) };
        Epochs = SequenceTrainingOptions.Settings.Epochs with { Default = defaults.Epochs };
        BatchSize = SequenceTrainingOptions.Settings.BatchSize with { Default = defaults.BatchSize };
        EvalBatchSize = SequenceTrainingOptions.Settings.EvalBatchSize with { Default = defaults.EvalBatchSize };
        LearningRate = SequenceTrainingOptions.Settings.LearningRate with { Default = defaults.LearningRate };
        WeightDecay = SequenceTrainingOptions.Settings.WeightDecay with { Default = defaults.WeightDecay };
        WarmupFraction = SequenceTrainingOptions.Settings.WarmupFraction with { Default = defaults.WarmupFraction };
        MinLearningRateRatio = SequenceTrainingOptions.Settings.MinLearningRateRatio with { Default = defaults.MinLearningRateRatio };
        GradientClip = SequenceTrainingOptions.Settings.GradientClip with { Default = defaults.GradientClip };
        LogEvery = SequenceTrainingOptions.Settings.LogEvery with { Default = defaults.LogEvery };
        Patience = SequenceTrainingOptions.Settings.Patience with { Default = defaults.EarlyStoppingPatience };
        MinDelta = SequenceTrainingOptions.Settings.MinDelta with { Default = defaults.EarlyStoppingMinDelta };
    }

    /// <summary>The family's defaults: what a trainer gets for every setting not given.</summary>
    public SequenceTrainingOptions Defaults { get; }
    public IntSetting Seed { get; }
    public IntSetting Epochs { get; }
    public IntSetting BatchSize { get; }
    public IntSetting EvalBatchSize { get; }
    public DoubleSetting LearningRate { get; }
    public DoubleSetting WeightDecay { get; }
    public DoubleSetting WarmupFraction { get; }
    public DoubleSetting MinLearningRateRatio { get; }
    public DoubleSetting GradientClip { get; }
    public IntSetting LogEvery { get; }
    public IntSetting Patience { get; }
    public DoubleSetting MinDelta { get; }

    /// <summary>Every setting, in the order of <see cref="SequenceTrainingOptions"/>.</summary>
    public IReadOnlyList<object> All =>
        [Seed, Epochs, BatchSize, EvalBatchSize, LearningRate, WeightDecay, WarmupFraction, MinLearningRateRatio, GradientClip, LogEvery, Patience, MinDelta];
}
