using Kairos.Snapshots;

namespace Kairos.Replay;

/// <summary>
/// A model as replay sees it: it receives bars one at a time, in strictly increasing time, and says
/// at each bar's close whether the bar is eligible and, when asked to score, the probabilities of a
/// long and a short entry. It keeps its own feature state; it never sees a bar before its close.
/// Replay may stream different predictors on different threads at once (never one predictor on two), so a
/// predictor shares no mutable state with another.
/// </summary>
public interface IBarPredictor
{
    ReplayModelInfo Model { get; }

    /// <summary>
    /// Feeds the next bar. With <paramref name="score"/> false (warm-up before the replay window) the
    /// predictor only updates its state and returns unscored; with true it scores the bar when eligible.
    /// </summary>
    BarPrediction Next(in Bar bar, bool score);

    /// <summary>
    /// Names the symbol whose bars follow, before the first one. A model of a pooled dataset takes the symbol as an input
    /// and refuses one it was not trained on (<see cref="Errors.DataException"/> naming it); others ignore it.
    /// </summary>
    void BindSymbol(string symbol)
    {
    }
}
