using System.Text.Json.Serialization;
using Kairos.Threading;

namespace Kairos.Deep.Runs;

/// <summary>The optimisation settings shared by <c>kairos pretrain</c> and <c>kairos train lstm</c>.</summary>
public sealed record SequenceTrainingOptions
{
    /// <summary>Seed of initialisation, shuffling, masking, dropout and augmentation. Default 17 (seed 003).</summary>
    public long Seed { get; init; } = 17;
    /// <summary>Maximum number of epochs. Default 30.</summary>
    public int Epochs { get; init; } = 30;
    /// <summary>Training batch size. Default 256.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>Evaluation batch size. Default 1024.</summary>
    public int EvalBatchSize { get; init; } = 1024;
    /// <summary>Peak learning rate of AdamW. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Decoupled weight decay of AdamW. Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Fraction of all optimiser steps spent in linear warm-up. Default 0.05.</summary>
    public double WarmupFraction { get; init; } = 0.05;
    /// <summary>Final learning rate of the cosine decay as a fraction of the peak. Default 0.1.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;
    /// <summary>Maximum global gradient norm (0: no clipping). Default 1.0.</summary>
    public double GradientClip { get; init; } = 1.0;
    /// <summary><c>cpu</c> or <c>cuda</c>. Default cpu.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Use only the first N training windows (and N/4 validation windows): smoke runs. Default all.</summary>
    public long? LimitSamples { get; init; }
    /// <summary>Log a line every N optimiser steps (0: only per epoch). Default 100.</summary>
    public int LogEvery { get; init; } = 100;
    /// <summary>Stop after this many epochs without validation improvement (0: never). Default 5.</summary>
    public int EarlyStoppingPatience { get; init; } = 5;
    /// <summary>Minimum decrease of the validation loss that counts as improvement. Default 0.</summary>
    public double EarlyStoppingMinDelta { get; init; }
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
        var p = new List<string>();
        string N(string option) => settingNames ? option.Replace('-', '_') : "--" + option;
        if (Epochs <= 0) p.Add($"{N("epochs")} must be positive (got {Epochs})");
        if (BatchSize <= 0) p.Add($"{N("batch-size")} must be positive (got {BatchSize})");
        if (EvalBatchSize <= 0) p.Add($"{N("eval-batch-size")} must be positive (got {EvalBatchSize})");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) p.Add($"{N("lr")} must be positive (got {LearningRate})");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) p.Add($"{N("weight-decay")} must be >= 0 (got {WeightDecay})");
        if (!(WarmupFraction >= 0 && WarmupFraction < 1)) p.Add($"{N("warmup-fraction")} must be in [0, 1) (got {WarmupFraction})");
        if (!(MinLearningRateRatio >= 0 && MinLearningRateRatio <= 1)) p.Add($"{N("min-lr-ratio")} must be in [0, 1] (got {MinLearningRateRatio})");
        if (!(GradientClip >= 0) || double.IsInfinity(GradientClip)) p.Add($"{N("grad-clip")} must be >= 0 (got {GradientClip})");
        if (Device is not ("cpu" or "cuda")) p.Add($"{N("device")} must be cpu or cuda (got '{Device}')");
        if (LimitSamples is <= 0) p.Add($"{N("limit-samples")} must be positive (got {LimitSamples})");
        if (LogEvery < 0) p.Add($"{N("log-every")} must be >= 0 (got {LogEvery})");
        if (EarlyStoppingPatience < 0) p.Add($"{N("patience")} must be >= 0 (got {EarlyStoppingPatience})");
        if (!(EarlyStoppingMinDelta >= 0)) p.Add($"{N("min-delta")} must be >= 0 (got {EarlyStoppingMinDelta})");
        return p;
    }
}
