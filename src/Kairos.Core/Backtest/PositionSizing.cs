namespace Kairos.Backtest;

/// <summary>How many units a trade buys or sells.</summary>
public enum PositionSizing
{
    /// <summary><c>units</c> units per trade.</summary>
    FixedUnits,

    /// <summary>A fixed fraction of equity at risk per trade: units = equity x <c>risk_fraction</c> / (<c>stop_loss_atr</c> x ATR).</summary>
    FractionAtRisk,
}
