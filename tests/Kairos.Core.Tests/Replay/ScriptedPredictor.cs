using Kairos.Datasets;
using Kairos.Features;
using Kairos.Replay;
using Kairos.Snapshots;

namespace Kairos.Tests.Replay;

/// <summary>A predictor whose answer for each bar is given by a function of the bar's index in the stream.</summary>
internal sealed class ScriptedPredictor(string name, Func<int, Bar, BarPrediction> script) : IBarPredictor
{
    private int _index;

    public ReplayModelInfo Model { get; } = new() { Name = name };

    public List<(long Time, bool Score)> Calls { get; } = [];

    public BarPrediction Next(in Bar bar, bool score)
    {
        Calls.Add((bar.Time, score));
        var prediction = script(_index++, bar);
        return score ? prediction : BarPrediction.NotScored(prediction.Reason, prediction.Context);
    }

    /// <summary>Context with the given ATR (bps) and buckets; session by UTC hour unless given.</summary>
    public static ContextValues Context(double atrBps, int session = 1, int trend = 1, int vol = 1) =>
        new(session, trend, vol, 0.5, atrBps, 1.0, 100, 0);

    public static BarPrediction Eligible(double pLong, double atrBps = 10, int session = 1, int trend = 1, int vol = 1) =>
        BarPrediction.Scored(Context(atrBps, session, trend, vol), pLong);

    public static BarPrediction Ineligible(EligibilityReason reason) => BarPrediction.NotScored(reason, Context(10));
}
