namespace Kairos.Datasets;

/// <summary>
/// Welford's single pass over a column's finite values: mean and sample standard deviation, the same bits whether the
/// values come from an array (<see cref="StandardScaler.FitColumn"/>) or chunk by chunk as a file is written, as long as
/// they come in the same order.
/// </summary>
internal struct RunningMoments
{
    private double _mean;
    private double _m2;
    private long _count;

    /// <summary>Takes <paramref name="x"/> in (NaN and infinities are ignored).</summary>
    public void Add(double x)
    {
        if (!double.IsFinite(x)) return;
        _count++;
        var d = x - _mean;
        _mean += d / _count;
        _m2 += d * (x - _mean);
    }

    /// <summary>The mean (0 without values) and the standard deviation (1 when it is zero or undefined).</summary>
    public readonly (double Mean, double Std) Result()
    {
        var sd = _count > 1 ? Math.Sqrt(_m2 / (_count - 1)) : 0;
        return (_count == 0 ? 0 : _mean, sd > 0 && double.IsFinite(sd) ? sd : 1);
    }
}
