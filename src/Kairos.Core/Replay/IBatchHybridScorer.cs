using Kairos.Bundles;
namespace Kairos.Replay;

/// <summary>
/// A hybrid scorer that can also score bars in batches, for offline replay: <see cref="Enqueue"/> copies the
/// stream's current bar's inputs (exactly those <see cref="IHybridScorer.Score"/> would use) with its tree signals
/// into a pending batch, and <see cref="ScorePending"/> runs one forward pass over the pending bars. Each bar's
/// probability depends only on its own inputs, so it equals the bar-by-bar one (to float tolerance).
/// </summary>
public interface IBatchHybridScorer : IHybridScorer
{
    /// <summary>Bars enqueued since the last <see cref="ScorePending"/>.</summary>
    int Pending { get; }

    /// <summary>Adds the stream's current bar, with its tree signals, to the pending batch.</summary>
    void Enqueue(FeatureStream stream, in TreeSignalValues signals);

    /// <summary>
    /// Scores the pending bars in one forward pass, writing their heads in the order they were enqueued to
    /// <paramref name="destination"/> (exactly <see cref="Pending"/> long), and empties the batch.
    /// </summary>
    void ScorePending(Span<HybridHeads> destination);
}
