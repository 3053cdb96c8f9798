using Kairos.Snapshots;

namespace Kairos.Replay;

/// <summary>
/// A predictor that can leave a scored bar's probability pending while it streams on, to score several bars in
/// one pass: replay uses it where predictions are computed ahead of the bar loop (<see cref="StreamedPredictions"/>).
/// The bars still arrive one at a time, in time order, and each bar's answer depends only on that bar and earlier
/// ones; only the moment the answer is written is deferred.
/// </summary>
public interface IBatchingPredictor : IBarPredictor
{
    /// <summary>The most bars whose answers may be pending at once; 1: every answer is written at once.</summary>
    int BatchSize { get; }

    /// <summary>
    /// Feeds the next bar as <see cref="IBarPredictor.Next"/> does and writes its prediction to
    /// <paramref name="predictions"/>[<paramref name="index"/>], or leaves its probability pending until a later
    /// <see cref="Submit"/> fills the batch or <see cref="Flush"/> is called.
    /// </summary>
    void Submit(in Bar bar, bool score, BarPrediction[] predictions, int index);

    /// <summary>Writes every pending answer.</summary>
    void Flush(BarPrediction[] predictions);
}
