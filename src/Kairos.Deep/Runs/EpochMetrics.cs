namespace Kairos.Deep.Runs;

/// <summary>One epoch of training: losses per head, gradient norms, class balance, time and throughput.</summary>
public sealed record EpochMetrics
{
    public required int Epoch { get; init; }
    public required int Steps { get; init; }
    public required long Samples { get; init; }
    public required HeadLosses TrainLoss { get; init; }
    /// <summary>Validation losses (null without a validation split).</summary>
    public HeadLosses? ValidationLoss { get; init; }
    /// <summary>The direction head on the validation samples: PR-AUC, ROC-AUC, Brier (null without validation).</summary>
    public DirectionMetrics? ValidationDirection { get; init; }
    public required double GradNormMean { get; init; }
    public required double GradNormMax { get; init; }
    /// <summary>Mean of y_direction over the epoch's training samples (class balance).</summary>
    public required double DirectionLabelMean { get; init; }
    public required double LearningRateEnd { get; init; }
    /// <summary>Wall clock of the whole epoch (training, validation, checkpoint), seconds.</summary>
    public required double WallClockSeconds { get; init; }
    /// <summary>Wall clock of the training steps alone, seconds.</summary>
    public required double TrainSeconds { get; init; }
    /// <summary>Training samples per second over <see cref="TrainSeconds"/>.</summary>
    public required double SamplesPerSecond { get; init; }
    /// <summary>Validation samples per second (null without validation).</summary>
    public double? EvalSamplesPerSecond { get; init; }
    /// <summary>TorchSharp tensors alive on the training thread at the end of the epoch (constant from epoch 2 on unless tensors leak).</summary>
    public required long LiveTensors { get; init; }
    /// <summary>Gate statistics per branch (gated fusion only).</summary>
    public IReadOnlyList<GateStatistics>? Gates { get; init; }
}
