using System.Runtime.ExceptionServices;
using Kairos.Progress;
using Kairos.Snapshots;

namespace Kairos.Replay;

/// <summary>
/// A predictor's answers for the leading bars of a series, computed ahead of the bar loop: every predictor streams
/// the bars on its own thread, in time order, with exactly the calls the loop would make (<c>score</c> for the bars
/// in the window), so each bar still sees only itself and earlier bars and the answers are the predictor's own. The
/// loop then reads them back bar by bar through <see cref="Next"/>. A predictor that throws stops there; the error
/// of the earliest bar (the first predictor's on a tie, as the loop would call them) is rethrown. A predictor that
/// batches (<see cref="IBatchingPredictor"/>) is fed through <see cref="IBatchingPredictor.Submit"/> and flushed at the
/// end, so its answers are all written before the loop reads them.
/// </summary>
internal sealed class StreamedPredictions : IBarPredictor
{
    private readonly IBarPredictor _source;
    private readonly long[] _time;
    private readonly BarPrediction[] _predictions;
    private readonly int _count;
    private int _next;

    private StreamedPredictions(IBarPredictor source, long[] time, BarPrediction[] predictions, int count)
    {
        _source = source;
        _time = time;
        _predictions = predictions;
        _count = count;
    }

    public ReplayModelInfo Model => _source.Model;

    public BarPrediction Next(in Bar bar, bool score)
    {
        if (_next >= _count || _time[_next] != bar.Time)
            throw new InvalidOperationException($"replay asked {Model.Name} for bar {ReplayTime.Format(bar.Time)}, which is not the next streamed bar");
        return _predictions[_next++];
    }

    /// <summary>Streams bars [0, <paramref name="end"/>) through every predictor, one thread per predictor.</summary>
    public static IReadOnlyList<IBarPredictor> Compute(BarSeries bars, int end, IReadOnlyList<IBarPredictor> predictors, ReplayWindow window, IProgressTask task)
    {
        var n = predictors.Count;
        var results = new StreamedPredictions[n];
        var failures = new (int Bar, ExceptionDispatchInfo Error)?[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = n }, k =>
        {
            var predictor = predictors[k];
            var predictions = new BarPrediction[end];
            var i = 0;
            try
            {
                if (predictor is IBatchingPredictor { BatchSize: > 1 } batching)
                {
                    for (; i < end; i++)
                    {
                        batching.Submit(Bar.At(bars, i), window.Contains(bars.Time[i]), predictions, i);
                        if (k == 0 && (i & 1023) == 1023) task.Advance(1024);
                    }
                    batching.Flush(predictions);
                }
                else
                {
                    for (; i < end; i++)
                    {
                        predictions[i] = predictor.Next(Bar.At(bars, i), window.Contains(bars.Time[i]));
                        if (k == 0 && (i & 1023) == 1023) task.Advance(1024);
                    }
                }
            }
            catch (Exception e)
            {
                failures[k] = (i, ExceptionDispatchInfo.Capture(e));
            }
            results[k] = new StreamedPredictions(predictor, bars.Time, predictions, i);
        });
        var first = failures.Where(f => f is not null).Select(f => f!.Value).OrderBy(f => f.Bar).FirstOrDefault();
        first.Error?.Throw();
        task.Advance(end & 1023);
        return results;
    }
}
