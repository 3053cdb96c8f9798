using System.Text.Json.Serialization;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Everything that decides a hybrid training run: the optimisation settings every sequence trainer shares
/// (<see cref="SequenceTrainingOptions"/>, with the hybrid's defaults), the loss weights and the architecture.
/// Defaults follow the design notes. Written flat (the training settings beside <c>loss</c> and <c>model</c>, as
/// before they were composed: <see cref="HybridTrainerOptionsJsonConverter"/>), so that unchanged settings give the
/// same <c>train_config.json</c> and the same stage ids.
/// </summary>
[JsonConverter(typeof(HybridTrainerOptionsJsonConverter))]
public sealed record HybridTrainerOptions
{
    /// <summary>
    /// The hybrid's defaults of the shared settings: seed 1337, 10 epochs, batch 64, learning rate 1e-4, patience 3 and
    /// an evaluation batch of 256 (every intermediate activation of a batch lives until the batch ends, so at the design
    /// scale a batch of 1024 held about 0.75 GB more at its peak, 1774 MB against 1038 MB resident for the same run,
    /// while a batch of 256, 7,680 sequence rows per matrix product, already keeps the matrix products efficient).
    /// </summary>
    public static SequenceTrainingOptions DefaultTraining { get; } = new()
    {
        Seed = 1337, Epochs = 10, BatchSize = 64, EvalBatchSize = 256, LearningRate = 1e-4, EarlyStoppingPatience = 3,
    };

    /// <summary>Seed, epochs, batches, AdamW, schedule, clipping, device, early stopping, threads (<see cref="DefaultTraining"/>).</summary>
    public SequenceTrainingOptions Training { get; init; } = DefaultTraining;
    /// <summary>Loss weights.</summary>
    public HybridLossWeights Loss { get; init; } = new();
    /// <summary>Architecture.</summary>
    public HybridModelOptions Model { get; init; } = new();

    /// <summary>Every problem with these options (empty when valid).</summary>
    public IReadOnlyList<string> Problems() => [.. Training.Problems(settingNames: true), .. Loss.Problems(), .. Model.Problems()];
}
