namespace Kairos.Backtest;

/// <summary>
/// The deepest fall of the equity curve from a running peak (marked at every bar's close): its depth as a fraction of
/// the peak and in money, when it started (the peak), bottomed and recovered (null: not by the end), and how long it
/// lasted from the peak to the recovery (or to the end of the curve), in bars and calendar days.
/// </summary>
public sealed record BacktestDrawdown
{
    public required double Depth { get; init; }
    public required double DepthMoney { get; init; }
    public string? PeakTime { get; init; }
    public string? TroughTime { get; init; }
    public string? RecoveredTime { get; init; }
    public required int DurationBars { get; init; }
    public required double DurationDays { get; init; }
}
