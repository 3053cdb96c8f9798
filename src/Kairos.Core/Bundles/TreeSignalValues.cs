namespace Kairos.Bundles;

/// <summary>The five tree signals of one bar (definitions: <see cref="Trees.TreeSignals"/>, docs/signals.md).</summary>
public readonly record struct TreeSignalValues(double PHat, double Margin, double PCal, double Entropy, double UncertaintyScore)
{
    /// <summary>
    /// The reader of the signal named <paramref name="name"/> (one of <see cref="Trees.TreeSignals.ColumnNames"/>) as a model
    /// input, or null for a name the trees do not produce (the caller names the file that listed it).
    /// </summary>
    public static Func<TreeSignalValues, float>? Reader(string name) => name switch
    {
        "p_hat" => s => (float)s.PHat,
        "margin" => s => (float)s.Margin,
        "p_cal" => s => (float)s.PCal,
        "entropy" => s => (float)s.Entropy,
        "uncertainty_score" => s => (float)s.UncertaintyScore,
        _ => null,
    };
}
