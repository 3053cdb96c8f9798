namespace Kairos.Replay;

/// <summary>The five tree signals of one bar (docs/signals.md): <c>p_hat</c>, <c>margin</c>, <c>p_cal</c>, <c>entropy</c>, <c>uncertainty_score</c>.</summary>
public readonly record struct TreeSignalValues(double PHat, double Margin, double PCal, double Entropy, double UncertaintyScore);
