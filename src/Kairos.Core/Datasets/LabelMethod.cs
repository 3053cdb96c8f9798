namespace Kairos.Datasets;

/// <summary>How <c>y_direction</c> is defined.</summary>
public enum LabelMethod
{
    /// <summary>Close after <c>direction_horizon</c> bars above the decision close.</summary>
    FixedHorizon,
    /// <summary>Which ATR barrier (upper = 1, lower = 0) the price touches first; at the vertical barrier the sign of the return.</summary>
    TripleBarrier,
}
