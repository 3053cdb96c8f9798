using Kairos.Snapshots;

namespace Kairos.Features;

/// <summary>
/// Replay / live front end of <see cref="FeatureEngine"/> for feeds finer than the base bar (M1 quotes
/// into an M5 engine): source bars are aggregated exactly as <see cref="BarResampler"/> does offline,
/// and each completed base bar updates the engine. With equal bar sizes bars pass straight through.
/// </summary>
public sealed class StreamingFeatureEngine
{
    private readonly BarAggregator? _aggregator;

    public StreamingFeatureEngine(FeatureEngineOptions options, TimeSpan sourceBarSize)
    {
        Engine = new FeatureEngine(options);
        if (sourceBarSize != options.BarSize) _aggregator = new BarAggregator(sourceBarSize, options.BarSize);
    }

    public FeatureEngine Engine { get; }

    /// <summary>The base bars completed by the last <see cref="Push"/> (0, 1 or 2), oldest first.</summary>
    public IReadOnlyList<Bar> Completed => _completed;

    private readonly List<Bar> _completed = new(2);

    /// <summary>
    /// Feeds one source bar; returns true when at least one base bar completed, after which
    /// <see cref="Engine"/> holds the values of the last one.
    /// </summary>
    public bool Push(in Bar bar)
    {
        _completed.Clear();
        if (_aggregator is null)
        {
            Engine.Update(bar);
            _completed.Add(bar);
            return true;
        }
        var n = _aggregator.Push(bar);
        for (var k = 0; k < n; k++)
        {
            var b = _aggregator.Completed(k);
            Engine.Update(b);
            _completed.Add(b);
        }
        return n > 0;
    }
}
