namespace Kairos.Bundles;

/// <summary>The five tree signals of one bar (definitions: <see cref="Trees.TreeSignals"/>, docs/signals.md).</summary>
public readonly record struct TreeSignalValues(double PHat, double Margin, double PCal, double Entropy, double UncertaintyScore);
