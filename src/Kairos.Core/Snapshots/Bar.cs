namespace Kairos.Snapshots;

/// <summary>One bar, as fed bar by bar to the feature engine in replay and live mode.</summary>
public readonly record struct Bar(
    long Time,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume,
    double Spread)
{
    /// <summary>Reads bar <paramref name="i"/> of a series; <see cref="Spread"/> is NaN where the series has none.</summary>
    public static Bar At(BarSeries s, int i) =>
        new(s.Time[i], s.Open[i], s.High[i], s.Low[i], s.Close[i], s.Volume[i], s.Spread is null ? double.NaN : s.Spread[i]);
}
