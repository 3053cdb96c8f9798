namespace Kairos.Features.Indicators;

/// <summary>
/// An incremental indicator over one input stream (Lean style): O(1) work per <see cref="Update"/>,
/// a declared <see cref="WarmUpPeriod"/>, and <see cref="IsReady"/> only once that much history exists.
/// </summary>
public interface IIndicator
{
    /// <summary>Number of samples needed before <see cref="Current"/> is meaningful.</summary>
    int WarmUpPeriod { get; }

    /// <summary>Samples seen so far.</summary>
    long Samples { get; }

    bool IsReady { get; }

    /// <summary>The latest value; NaN before the first sample.</summary>
    double Current { get; }

    void Update(double input);
}
