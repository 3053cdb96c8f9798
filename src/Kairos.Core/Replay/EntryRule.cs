namespace Kairos.Replay;

/// <summary>
/// The entry rule of replay and of <c>kairos serve</c>, in one place: a candidate bar (eligible and scored) signals a
/// long when <c>p_long &gt;= long_threshold</c> and a short when shorts are allowed and <c>p_short &gt;= short_threshold</c>;
/// when both hold, the larger probability wins (a tie goes long). Whether the signal opens a trade (one position at a
/// time) is the caller's to decide.
/// </summary>
public sealed class EntryRule(double longThreshold, double shortThreshold, bool allowShort)
{
    public EntryRule(ReplayOptions options) : this(options.LongThreshold, options.ShortThreshold, options.AllowShort)
    {
    }

    public double LongThreshold { get; } = longThreshold;

    public double ShortThreshold { get; } = shortThreshold;

    public bool AllowShort { get; } = allowShort;

    /// <summary>The signal of a candidate bar: long, short or none (null); <paramref name="isLong"/> / <paramref name="isShort"/> say which thresholds were reached.</summary>
    public TradeDirection? Signal(in BarPrediction p, out bool isLong, out bool isShort)
    {
        isLong = p.PLong >= LongThreshold;
        isShort = AllowShort && p.PShort >= ShortThreshold;
        if (isLong && isShort) return p.PLong >= p.PShort ? TradeDirection.Long : TradeDirection.Short;
        return isLong ? TradeDirection.Long : isShort ? TradeDirection.Short : null;
    }

    public TradeDirection? Signal(in BarPrediction p) => Signal(p, out _, out _);
}
