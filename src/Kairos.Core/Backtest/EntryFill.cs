namespace Kairos.Backtest;

/// <summary>Where a position is filled after the decision taken at the candidate bar's close.</summary>
public enum EntryFill
{
    /// <summary>At the next bar's open (the default: the decision needs the bar's close).</summary>
    NextOpen,

    /// <summary>At the decision bar's own close.</summary>
    Close,
}
