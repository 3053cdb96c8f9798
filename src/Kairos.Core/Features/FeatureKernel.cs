namespace Kairos.Features;

/// <summary>
/// One feature of one timeframe: a name, a declared warm-up (bars of its own timeframe), readiness and
/// its value from the shared indicators after the current bar. Values are never read before ready.
/// </summary>
internal sealed class FeatureKernel(string name, int warmUpPeriod, Func<bool> isReady, Func<BarState, double> value)
{
    public string Name { get; } = name;

    public int WarmUpPeriod { get; } = warmUpPeriod;

    public bool IsReady => isReady();

    public double Value(BarState state) => value(state);
}
