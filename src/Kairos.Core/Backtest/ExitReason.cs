namespace Kairos.Backtest;

/// <summary>Why a trade was closed.</summary>
public enum ExitReason
{
    /// <summary>At the close of the horizon-th bar (the entry bar is bar 1).</summary>
    Horizon,

    StopLoss,

    TakeProfit,

    /// <summary>A candidate with the opposite signal, at its close.</summary>
    OppositeSignal,

    /// <summary>The data ended first: closed at the last bar's close.</summary>
    EndOfData,
}
