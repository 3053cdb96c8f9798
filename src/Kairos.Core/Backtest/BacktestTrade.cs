using System.Text.Json.Serialization;
using Kairos.Replay;

namespace Kairos.Backtest;

/// <summary>
/// One closed trade. Returns in basis points of the entry fill: long <c>(exit_bid - entry_ask) / entry_ask</c>, short
/// <c>(entry_bid - exit_ask) / entry_bid</c>, then minus commission (both sides) and slippage (both fills). Money =
/// units x entry fill x bps / 1e4, so net = gross - costs holds in both.
/// </summary>
public sealed record BacktestTrade
{
    public required string DecisionTime { get; init; }
    public required string EntryTime { get; init; }
    public required string ExitTime { get; init; }
    public required TradeDirection Side { get; init; }
    public required double PLong { get; init; }
    public required double EntryPrice { get; init; }
    public required double ExitPrice { get; init; }
    public required double Units { get; init; }
    public required double GrossBps { get; init; }

    /// <summary>Commission and slippage in basis points (the spread is inside the gross return).</summary>
    public required double CostsBps { get; init; }

    public required double NetBps { get; init; }
    public required double GrossMoney { get; init; }
    public required double CostsMoney { get; init; }
    public required double NetMoney { get; init; }

    /// <summary>Spread crossed at entry and exit, in basis points of the entry fill (inside the gross return; reported, not deducted again).</summary>
    public required double SpreadBps { get; init; }

    public required ExitReason ExitReason { get; init; }

    /// <summary>Bars from the entry bar to the exit bar, both counted.</summary>
    public required int BarsHeld { get; init; }

    /// <summary>Largest adverse excursion over the bars held, in basis points of the entry fill, at the exit side's prices.</summary>
    public required double MaeBps { get; init; }

    /// <summary>Largest favourable excursion over the bars held, in basis points of the entry fill.</summary>
    public required double MfeBps { get; init; }

    /// <summary>The decision bar's ATR in basis points (null before the ATR is ready).</summary>
    public required double? AtrBps { get; init; }

    public required string Session { get; init; }
    public required string VolRegime { get; init; }

    [JsonIgnore] public int DecisionIndex { get; init; }
    [JsonIgnore] public int EntryIndex { get; init; }
    [JsonIgnore] public int ExitIndex { get; init; }
}
