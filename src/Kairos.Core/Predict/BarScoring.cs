using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Registry;
using Kairos.Replay;
using Kairos.Snapshots;

namespace Kairos.Predict;

/// <summary>
/// <c>kairos predict</c>: streams a snapshot's bars, from its first bar, through a bundle's own scoring path (the
/// <see cref="BundlePredictor"/> replay and serve use: the dataset's feature engine, eligibility, buckets and train
/// scalers, the per-session trees and calibrators, the hybrid model, the out-of-distribution guard) and keeps one row per
/// bar of the decision window, with the labels the dataset builder would give that bar computed from the bars after it.
/// </summary>
public static class BarScoring
{
    /// <summary>The bundle directory and version name <paramref name="options"/> designate (a registry's best).</summary>
    public static (string Directory, string Version) ResolveBundle(PredictOptions options)
    {
        if (options.Bundle is { } bundle) return (Path.GetFullPath(bundle), Path.GetFileName(Path.GetFullPath(bundle).TrimEnd('/')));
        var root = Path.GetFullPath(options.Registry!);
        if (!Directory.Exists(root)) throw new ConfigException("predict", [$"--registry {root} does not exist"]);
        var registry = new ModelRegistry(root, new RegistryOptions { ContractAuthority = RunningFeatureContract.Instance });
        var best = registry.BestVersion()
            ?? throw new ConfigException("predict", [$"registry {root} has no best version: promote a bundle first (kairos registry promote)"]);
        return (Path.Combine(root, ModelRegistry.VersionsDirectory, best), best);
    }

    public static PredictionTable Run(PredictOptions options, IProgressSink? progress = null)
    {
        progress ??= NullProgressSink.Instance;
        var problems = options.Problems();
        if (problems.Count > 0) throw new ConfigException("predict", problems);
        var (directory, version) = ResolveBundle(options);
        var snapshot = Snapshot.Open(options.Snapshot);
        using var predictor = BundlePredictor.Open(directory, options.Scoring with { Live = false });
        var symbol = options.Symbol ?? predictor.Dataset.Symbols.FirstOrDefault(snapshot.Symbols.Contains)
            ?? throw new ConfigException("predict", [$"snapshot {snapshot.Id} holds none of the bundle's symbols [{string.Join(", ", predictor.Dataset.Symbols)}]: give --symbol"]);
        // A symbol the pooled model never learned is refused before its bars are read (whatever their bar size).
        predictor.BindSymbol(symbol);
        var bars = snapshot.ReadBars(symbol);
        var barSeconds = (long)bars.BarSize.TotalSeconds;
        if (barSeconds != predictor.Dataset.BarSeconds)
            throw new DataException(options.Snapshot, "bar-size-mismatch",
                $"the snapshot's {symbol} bars are {bars.BarSize}, the bundle was trained on {TimeSpan.FromSeconds(predictor.Dataset.BarSeconds)} bars");
        return Score(bars, predictor, version, options.From, options.To, progress);
    }

    /// <summary>Scores <paramref name="bars"/> with an open predictor (fresh: it must not have seen a bar yet).</summary>
    public static PredictionTable Score(BarSeries bars, BundlePredictor predictor, string version, long? from, long? to, IProgressSink progress)
    {
        predictor.BindSymbol(bars.Symbol);
        var config = predictor.Stream.Config;
        var source = predictor.Model.PLongSource ?? PLongSource.Trees;
        var table = new PredictionTable(bars.Symbol, predictor.Metadata.BundleId, version, source, source == PLongSource.Hybrid) { SourceReason = predictor.Model.PLongReason };
        var window = new ReplayWindow(from, to);
        var n = bars.Count;
        var end = n;
        for (var i = 0; i < n; i++)
            if (window.IsAfter(bars.Time[i])) { end = i; break; }
        var atr = new double[end];
        var sinceGap = new int[end];
        var predictions = new BarPrediction[end];
        var rowOf = new int[end];
        var buckets = new (int Atr, int Spread)[end];
        using (var task = progress.Start($"predict {bars.Symbol} ({predictor.Model.Name})", end))
        {
            for (var i = 0; i < end; i++)
            {
                var bar = Bar.At(bars, i);
                if (i > 0 && bar.Time <= bars.Time[i - 1])
                    throw new DataException(bars.Symbol, "time-order", $"bar times must increase strictly: {ReplayTime.Format(bar.Time)} after {ReplayTime.Format(bars.Time[i - 1])}");
                var scoring = window.Contains(bar.Time);
                predictor.Submit(bar, scoring, predictions, i);
                var context = predictor.Stream.Context;
                atr[i] = context.AtrBps;
                sinceGap[i] = context.BarsSinceGap;
                buckets[i] = (predictor.Stream.AtrBucket, predictor.Stream.SpreadBucket);
                if ((i & 1023) == 1023) task.Advance(1024);
            }
            predictor.Flush(predictions);
            task.Advance(end & 1023);
        }
        for (var i = 0; i < end; i++)
        {
            rowOf[i] = -1;
            if (!window.Contains(bars.Time[i])) continue;
            rowOf[i] = table.Count;
            table.Add(bars.Time[i], predictions[i], buckets[i].Atr, buckets[i].Spread);
        }
        // Labels need the bars after each decision bar: the whole series, with the feature state streamed to its end.
        var labels = Labeler.Compute(bars, FullContext(bars, predictor, end, atr, sinceGap), config);
        for (var i = 0; i < end; i++)
        {
            var row = rowOf[i];
            if (row < 0 || !labels.Available[i]) continue;
            table.SetLabels(row, labels.Direction[i], labels.EarlyMove[i], labels.Quality[i], labels.Mae[i], labels.Mfe[i]);
        }
        return table;
    }

    /// <summary>ATR (bps) and bars-since-gap of every bar: those streamed, then the rest streamed on without scoring.</summary>
    private static (double[] AtrBps, int[] BarsSinceGap) FullContext(BarSeries bars, BundlePredictor predictor, int streamed, double[] atr, int[] sinceGap)
    {
        var n = bars.Count;
        var allAtr = new double[n];
        var allGap = new int[n];
        Array.Copy(atr, allAtr, streamed);
        Array.Copy(sinceGap, allGap, streamed);
        for (var i = streamed; i < n; i++)
        {
            predictor.Stream.Update(Bar.At(bars, i));
            allAtr[i] = predictor.Stream.Context.AtrBps;
            allGap[i] = predictor.Stream.Context.BarsSinceGap;
        }
        return (allAtr, allGap);
    }
}
