using System.Text.Json.Serialization;
using Kairos.Threading;

namespace Kairos.Deep.Hybrid;

/// <summary>Everything that decides a hybrid training run. Defaults follow the design notes.</summary>
public sealed record HybridTrainerOptions
{
    /// <summary>Seed of weight initialisation, shuffling and dropout. Default 1337.</summary>
    public long Seed { get; init; } = 1337;
    /// <summary>Maximum number of epochs. Default 10.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Training batch size. Default 64.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>
    /// Evaluation and prediction batch size. Default 256: every intermediate activation of a batch lives until the
    /// batch ends, so at the design scale a batch of 1024 held about 0.75 GB more at its peak (1774 MB against
    /// 1038 MB resident for the same run) while a batch of 256 (7,680 sequence rows per matrix product) already
    /// keeps the matrix products efficient.
    /// </summary>
    public int EvalBatchSize { get; init; } = 256;
    /// <summary>Peak learning rate of AdamW. Default 1e-4.</summary>
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>Decoupled weight decay of AdamW. Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Fraction of all optimiser steps spent in linear warm-up. Default 0.05.</summary>
    public double WarmupFraction { get; init; } = 0.05;
    /// <summary>Final learning rate of the cosine decay as a fraction of the peak. Default 0.1.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;
    /// <summary>Maximum global gradient norm (0: no clipping, the norm is still measured). Default 1.0.</summary>
    public double GradientClip { get; init; } = 1.0;
    /// <summary><c>cpu</c> or <c>cuda</c>. Default cpu.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Use only the first N training samples (and N/4 validation samples): smoke runs. Default all.</summary>
    public long? LimitSamples { get; init; }
    /// <summary>Log a line every N optimiser steps (0: only per epoch). Default 100.</summary>
    public int LogEvery { get; init; } = 100;
    /// <summary>Stop after this many epochs without validation improvement (0: never). Default 3.</summary>
    public int EarlyStoppingPatience { get; init; } = 3;
    /// <summary>Minimum decrease of the validation loss that counts as improvement. Default 0.</summary>
    public double EarlyStoppingMinDelta { get; init; }
    /// <summary>Intra-op threads: auto (default; decided when training starts, <see cref="ThreadBudget"/>) or a fixed count.</summary>
    public ThreadSetting Threads { get; init; } = ThreadSetting.Auto;
    /// <summary>Loss weights.</summary>
    public HybridLossWeights Loss { get; init; } = new();
    /// <summary>Architecture.</summary>
    public HybridModelOptions Model { get; init; } = new();

    /// <summary>Stop (as a crash would) after this many optimiser steps; for tests of resume. Not recorded.</summary>
    [JsonIgnore]
    public long? StopAfterSteps { get; init; }

    /// <summary>Every problem with these options (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (Epochs <= 0) p.Add($"epochs must be positive (got {Epochs})");
        if (BatchSize <= 0) p.Add($"batch_size must be positive (got {BatchSize})");
        if (EvalBatchSize <= 0) p.Add($"eval_batch_size must be positive (got {EvalBatchSize})");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) p.Add($"lr must be positive (got {LearningRate})");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) p.Add($"weight_decay must be >= 0 (got {WeightDecay})");
        if (!(WarmupFraction >= 0 && WarmupFraction < 1)) p.Add($"warmup_fraction must be in [0, 1) (got {WarmupFraction})");
        if (!(MinLearningRateRatio >= 0 && MinLearningRateRatio <= 1)) p.Add($"min_lr_ratio must be in [0, 1] (got {MinLearningRateRatio})");
        if (!(GradientClip >= 0) || double.IsInfinity(GradientClip)) p.Add($"grad_clip must be >= 0 (got {GradientClip})");
        if (Device is not ("cpu" or "cuda")) p.Add($"device must be cpu or cuda (got '{Device}')");
        if (LimitSamples is <= 0) p.Add($"limit_samples must be positive (got {LimitSamples})");
        if (LogEvery < 0) p.Add($"log_every must be >= 0 (got {LogEvery})");
        if (EarlyStoppingPatience < 0) p.Add($"patience must be >= 0 (got {EarlyStoppingPatience})");
        if (!(EarlyStoppingMinDelta >= 0)) p.Add($"min_delta must be >= 0 (got {EarlyStoppingMinDelta})");
        p.AddRange(Loss.Problems());
        p.AddRange(Model.Problems());
        return p;
    }
}
