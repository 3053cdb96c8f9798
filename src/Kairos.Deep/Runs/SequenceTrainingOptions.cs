using System.Text.Json.Serialization;
using Kairos.Settings;
using Kairos.Threading;

namespace Kairos.Deep.Runs;

/// <summary>
/// The optimisation settings shared by every sequence trainer (<c>kairos pretrain</c>, <c>kairos train lstm|tft|hybrid</c>
/// and <c>kairos run</c>'s deep sections). Each setting is defined once in <see cref="Settings"/> (key, range, help); the
/// defaults differ by family, so a family's default lives in its options record (<c>HybridTrainerOptions.DefaultTraining</c>,
/// <c>new TftTrainerOptions().Training</c>, ...) and <see cref="SequenceTrainingSettings"/> gives the settings with it.
/// </summary>
public sealed record SequenceTrainingOptions
{
    /// <summary>The settings of this record a user sets (command-line flags, the run config's deep-section keys), defined once with the general defaults.</summary>
    public static class Settings
    {
        public static readonly IntSetting Seed = new("seed", 17, 0, int.MaxValue, "Seed of initialisation, shuffling and dropout (and of masking and augmentation where the model has them).");
        public static readonly IntSetting Epochs = new("epochs", 30, 1, 10_000, "Maximum epochs.");
        public static readonly IntSetting BatchSize = new("batch_size", 256, 1, 1_000_000, "Training batch size.");
        public static readonly IntSetting EvalBatchSize = new("eval_batch_size", 1024, 1, 1_000_000, "Evaluation batch size.");
        public static readonly DoubleSetting LearningRate = new("lr", 1e-3, 0, double.PositiveInfinity, "Peak learning rate of AdamW.", MinExclusive: true, MaxExclusive: true);
        public static readonly DoubleSetting WeightDecay = new("weight_decay", 0.01, 0, double.PositiveInfinity, "AdamW decoupled weight decay.", MaxExclusive: true);
        public static readonly DoubleSetting WarmupFraction = new("warmup_fraction", 0.05, 0, 1, "Fraction of all optimiser steps in linear warm-up.", MaxExclusive: true);
        public static readonly DoubleSetting MinLearningRateRatio = new("min_lr_ratio", 0.1, 0, 1, "Final learning rate of the cosine decay as a fraction of the peak.");
        public static readonly DoubleSetting GradientClip = new("grad_clip", 1.0, 0, double.PositiveInfinity, "Maximum global gradient norm, 0 = no clipping.", MaxExclusive: true);
        public static readonly IntSetting LogEvery = new("log_every", 100, 0, 1_000_000, "Log a line every N optimiser steps, 0 = per epoch only.");
        public static readonly IntSetting Patience = new("patience", 5, 0, 10_000, "Early stopping: epochs without validation improvement, 0 = never stop early.");
        public static readonly DoubleSetting MinDelta = new("min_delta", 0, 0, double.PositiveInfinity, "Early stopping: minimum decrease of the validation loss that counts as improvement.", MaxExclusive: true);
    }

    /// <summary>Seed of initialisation, shuffling, masking, dropout and augmentation (<see cref="Settings.Seed"/>; 17 is seed 003's).</summary>
    public long Seed { get; init; } = Settings.Seed.Default;
    /// <summary>Maximum number of epochs (<see cref="Settings.Epochs"/>).</summary>
    public int Epochs { get; init; } = Settings.Epochs.Default;
    /// <summary>Training batch size (<see cref="Settings.BatchSize"/>).</summary>
    public int BatchSize { get; init; } = Settings.BatchSize.Default;
    /// <summary>Evaluation batch size (<see cref="Settings.EvalBatchSize"/>).</summary>
    public int EvalBatchSize { get; init; } = Settings.EvalBatchSize.Default;
    /// <summary>Peak learning rate of AdamW (<see cref="Settings.LearningRate"/>).</summary>
    public double LearningRate { get; init; } = Settings.LearningRate.Default;
    /// <summary>Decoupled weight decay of AdamW (<see cref="Settings.WeightDecay"/>).</summary>
    public double WeightDecay { get; init; } = Settings.WeightDecay.Default;
    /// <summary>Fraction of all optimiser steps spent in linear warm-up (<see cref="Settings.WarmupFraction"/>).</summary>
    public double WarmupFraction { get; init; } = Settings.WarmupFraction.Default;
    /// <summary>Final learning rate of the cosine decay as a fraction of the peak (<see cref="Settings.MinLearningRateRatio"/>).</summary>
    public double MinLearningRateRatio { get; init; } = Settings.MinLearningRateRatio.Default;
    /// <summary>Maximum global gradient norm, 0: no clipping (<see cref="Settings.GradientClip"/>).</summary>
    public double GradientClip { get; init; } = Settings.GradientClip.Default;
    /// <summary><c>cpu</c> or <c>cuda</c>. Default cpu.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Use only the first N training windows (and N/4 validation windows): smoke runs. Default all.</summary>
    public long? LimitSamples { get; init; }
    /// <summary>Log a line every N optimiser steps, 0: only per epoch (<see cref="Settings.LogEvery"/>).</summary>
    public int LogEvery { get; init; } = Settings.LogEvery.Default;
    /// <summary>Stop after this many epochs without validation improvement, 0: never (<see cref="Settings.Patience"/>).</summary>
    public int EarlyStoppingPatience { get; init; } = Settings.Patience.Default;
    /// <summary>Minimum decrease of the validation loss that counts as improvement (<see cref="Settings.MinDelta"/>).</summary>
    public double EarlyStoppingMinDelta { get; init; } = Settings.MinDelta.Default;
    /// <summary>Intra-op threads: auto (default; decided when training starts, <see cref="ThreadBudget"/>) or a fixed count.</summary>
    public ThreadSetting Threads { get; init; } = ThreadSetting.Auto;

    /// <summary>Stop (as a crash would) after this many optimiser steps; for tests of resume. Not recorded.</summary>
    [JsonIgnore]
    public long? StopAfterSteps { get; init; }

    /// <summary>
    /// Every problem with these options (empty when valid), named by their command-line option (<c>--batch-size</c>), or
    /// with <paramref name="settingNames"/> by their configuration key (<c>batch_size</c>: the hybrid's and <c>kairos run</c>'s names).
    /// </summary>
    public IReadOnlyList<string> Problems(bool settingNames = false)
    {
        var flag = !settingNames;
        var p = new List<string>();
        p.AddRange(new[]
        {
            Settings.Seed.Problem(Seed, flag), Settings.Epochs.Problem(Epochs, flag), Settings.BatchSize.Problem(BatchSize, flag),
            Settings.EvalBatchSize.Problem(EvalBatchSize, flag), Settings.LearningRate.Problem(LearningRate, flag),
            Settings.WeightDecay.Problem(WeightDecay, flag), Settings.WarmupFraction.Problem(WarmupFraction, flag),
            Settings.MinLearningRateRatio.Problem(MinLearningRateRatio, flag), Settings.GradientClip.Problem(GradientClip, flag),
            Settings.LogEvery.Problem(LogEvery, flag), Settings.Patience.Problem(EarlyStoppingPatience, flag), Settings.MinDelta.Problem(EarlyStoppingMinDelta, flag),
        }.OfType<string>());
        string N(string option) => settingNames ? option.Replace('-', '_') : "--" + option;
        if (Device is not ("cpu" or "cuda")) p.Add($"{N("device")} must be cpu or cuda (got '{Device}')");
        if (LimitSamples is <= 0) p.Add($"{N("limit-samples")} must be positive (got {LimitSamples})");
        return p;
    }
}
