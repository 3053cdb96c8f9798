namespace Kairos.Serve;

/// <summary>The per-symbol state the engine changes, in order, under its lock.</summary>
internal sealed class SymbolState(string symbol)
{
    public string Symbol { get; } = symbol;
    public BarHistory History { get; } = new();
    public long? LastTime { get; set; }
    /// <summary>Bars seen since the open entry (null: no entry open), as replay's trade window counts them.</summary>
    public int? PositionBars { get; set; }
    /// <summary>Sticky: a bar of this symbol has been past the feature warm-up.</summary>
    public bool Ready { get; set; }
    public long BarsAccepted { get; set; }
    public long BarsScored { get; set; }
    public string? KillSwitch { get; set; }
    public string? LastReason { get; set; }
    public DateTimeOffset? LastReceivedAt { get; set; }
}
