namespace Kairos.Backtest;

/// <summary>
/// Decision window: candidates with open time in [<see cref="From"/>, <see cref="To"/>) are traded (null: open-ended).
/// Trades opened inside it run to their exits on the bars after it.
/// </summary>
public sealed record BacktestWindow(long? From = null, long? To = null)
{
    public bool Contains(long time) => (From is not { } f || time >= f) && (To is not { } t || time < t);
}
