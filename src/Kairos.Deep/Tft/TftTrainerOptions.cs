using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Tft;

/// <summary>Everything that decides a TFT training run: the optimisation settings every sequence trainer shares, the architecture and the hybrid's loss weights.</summary>
public sealed record TftTrainerOptions
{
    /// <summary>
    /// Seed, epochs, batch, AdamW, schedule, clipping, device, early stopping, threads (<c>auto</c> by default). Defaults:
    /// those of <see cref="SequenceTrainingOptions"/> except 10 epochs, batch 128, evaluation batch 256 and patience 3. The
    /// evaluation batch is the hybrid's: with 1,024 the per-variable networks' activations (<c>[S, B x L, d]</c>) made
    /// evaluation 5x slower than training per sample and the process peak 2.3 GB (`bench train --model tft`, load ~30).
    /// </summary>
    public SequenceTrainingOptions Training { get; init; } = new() { Epochs = 10, BatchSize = 128, EvalBatchSize = 256, EarlyStoppingPatience = 3 };
    /// <summary>Architecture.</summary>
    public TftModelOptions Model { get; init; } = new();
    /// <summary>Weights of the direction, early-move and quality losses (the hybrid's terms; no gate term).</summary>
    public HybridLossWeights Loss { get; init; } = new();

    /// <summary>Every problem with these options (empty when valid).</summary>
    public IReadOnlyList<string> Problems() => [.. Training.Problems(), .. Model.Problems(), .. Loss.Problems()];
}
