namespace Kairos.Backtest;

/// <summary>What became of the candidates: signals by side, trades opened, and signals that opened nothing and why.</summary>
public sealed record BacktestSignals
{
    public required int Candidates { get; init; }
    public required int LongSignals { get; init; }
    public required int ShortSignals { get; init; }
    public required int Trades { get; init; }

    /// <summary>Signals skipped because the positions allowed were open (one at a time: the entry bar would not come after the previous exit bar).</summary>
    public required int SkippedOpenPosition { get; init; }

    /// <summary>Signals at the last bar (no next bar to enter on).</summary>
    public required int SkippedNoNextBar { get; init; }

    /// <summary>Signals whose decision bar had no ATR yet while a stop, target or risk sizing needed one.</summary>
    public required int SkippedNoAtr { get; init; }
}
