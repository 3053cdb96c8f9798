namespace Kairos.Pipeline;

/// <summary>The walk-forward stage's result: its result directory (pooled predictions, evaluation, plot) and summary.</summary>
public sealed record WalkForwardResult(string Directory, WalkForwardSummary Summary, bool Reused)
{
    /// <summary>The pooled out-of-sample predictions of every window (timestamp, symbol, y_true, y_prob, session, vol_regime, window).</summary>
    public string Predictions => Path.Combine(Directory, WalkForwardSummary.PredictionsFile);

    public string EvaluationDirectory => Path.Combine(Directory, WalkForwardSummary.EvaluationDirectory);

    public string Plot => Path.Combine(Directory, WalkForwardSummary.PlotFile);
}
