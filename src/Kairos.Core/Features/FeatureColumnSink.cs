namespace Kairos.Features;

/// <summary>
/// Receives feature values streamed by <see cref="FeatureEngine.Compute(Kairos.Snapshots.BarSeries, FeatureEngineOptions, FeatureColumnSink, int)"/>:
/// <paramref name="values"/> are rows <paramref name="firstRow"/>.. of feature <paramref name="column"/>
/// (engine feature order). The span is reused after the call returns.
/// </summary>
public delegate void FeatureColumnSink(int column, int firstRow, ReadOnlySpan<double> values);
