using Kairos.Errors;
using Kairos.Search;
using Kairos.Snapshots;
using Kairos.Evaluation.Statistics;

namespace Kairos.Backtest;

/// <summary>
/// Runs one backtest per setting of the swept keys (the cartesian product of the axes over the base options) on the same
/// bars and candidates, then prices the choice of the best: the deflated Sharpe ratio and the probability of backtest
/// overfitting with the search's code (<see cref="DeflatedSharpe"/>, <see cref="BacktestOverfitting"/>).
/// </summary>
public sealed class BacktestSweep
{
    /// <summary>The most settings one sweep may run.</summary>
    public const int MaxSettings = 10_000;

    private readonly BacktestEngine _engine;
    private readonly TimeProvider _time;

    public BacktestSweep(TimeProvider time)
    {
        _time = time;
        _engine = new BacktestEngine(time);
    }

    /// <summary>Every setting's options, or every problem of the axes and settings together.</summary>
    public static IReadOnlyList<(IReadOnlyDictionary<string, double> Settings, BacktestOptions Options)> Settings(BacktestOptions baseOptions, IReadOnlyList<SweepAxis> axes)
    {
        var problems = new List<string>();
        if (axes.Count == 0) problems.Add("a sweep needs at least one axis (--sweep key=start:stop:step)");
        foreach (var dup in axes.GroupBy(a => a.Key).Where(g => g.Count() > 1)) problems.Add($"--sweep: '{dup.Key}' is swept more than once");
        var total = axes.Aggregate(1L, (n, a) => n * Math.Max(1, a.Values.Count));
        if (total > MaxSettings) problems.Add($"--sweep: {total} settings, at most {MaxSettings}");
        if (problems.Count > 0) throw new ConfigException("backtest --sweep", problems);
        var settings = new List<(IReadOnlyDictionary<string, double>, BacktestOptions)> { (new Dictionary<string, double>(), baseOptions) };
        foreach (var axis in axes)
        {
            var next = new List<(IReadOnlyDictionary<string, double>, BacktestOptions)>();
            foreach (var (values, options) in settings)
                foreach (var v in axis.Values)
                {
                    var changed = options.With(axis.Key, v, out var problem);
                    if (changed is null)
                    {
                        problems.Add("--sweep: " + problem);
                        continue;
                    }
                    next.Add((new Dictionary<string, double>(values) { [axis.Key] = v }, changed));
                }
            settings = next;
        }
        foreach (var (values, options) in settings)
            problems.AddRange(options.Validate().Select(p => $"--sweep setting {string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value}"))}: {p}"));
        if (problems.Count > 0) throw new ConfigException("backtest --sweep", problems.Distinct().ToList());
        return settings;
    }

    public SweepResult Run(BarSeries bars, BarContext context, IReadOnlyList<BacktestCandidate> candidates, BacktestOptions baseOptions,
        IReadOnlyList<SweepAxis> axes, BacktestWindow? window = null, string source = "candidates")
    {
        baseOptions.ThrowIfInvalid("backtest");
        var settings = Settings(baseOptions, axes);
        var prepared = BacktestEngine.Prepare(bars, context, candidates, baseOptions, window);
        // One time axis for every setting: from the curve's first bar to the last bar any setting's curve can reach (a trade
        // decided at the period's end exits within its horizon). Without --to every curve runs to the last bar: no padding.
        var maxHorizon = settings.Max(s => s.Options.HorizonBars);
        var axisEnd = prepared.Start >= bars.Count ? prepared.Start - 1 : Math.Min(bars.Count - 1, Math.Max(prepared.PeriodEnd, prepared.PeriodEnd + maxHorizon));
        var length = Math.Max(0, axisEnd - prepared.Start + 1);
        var blocks = Math.Min(baseOptions.SweepBlocks, length - length % 2);
        var blockOf = BlockIndex(length, Math.Max(blocks, 1));
        var results = new BacktestResult[settings.Count];
        var moments = new (double Sharpe, double Skewness, double Kurtosis)[settings.Count];
        var blockMeans = new double[Math.Max(blocks, 1)][];
        for (var b = 0; b < blockMeans.Length; b++) blockMeans[b] = new double[settings.Count];
        var blockSizes = new int[blockMeans.Length];
        foreach (var b in blockOf) blockSizes[b]++;
        for (var k = 0; k < settings.Count; k++)
        {
            // Only each setting's power sums and block sums are kept: memory does not grow with settings x bars.
            var result = _engine.Run(prepared, settings[k].Options, source, full: false);
            var returns = BacktestStatistics.Returns(result.CurveEquity, result.Options.InitialCapital);
            if (returns.Length > length) throw new InvalidOperationException($"a curve of {returns.Length} bars is longer than the sweep's axis of {length}");
            double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
            for (var i = 0; i < returns.Length; i++)
            {
                var r = returns[i];
                var r2 = r * r;
                s1 += r;
                s2 += r2;
                s3 += r2 * r;
                s4 += r2 * r2;
                blockMeans[blockOf[i]][k] += r;
            }
            moments[k] = Moments(length, s1, s2, s3, s4);
            results[k] = result with { Trades = [], CurveEquity = [], CurveTime = [] };
        }
        for (var b = 0; b < blockMeans.Length; b++)
            for (var k = 0; k < settings.Count; k++) blockMeans[b][k] /= Math.Max(1, blockSizes[b]);
        var rows = settings.Select((s, k) =>
        {
            var t = results[k].Totals;
            return new SweepRow
            {
                Settings = s.Settings, Trades = t.Trades, NetPnl = t.NetPnl, Return = t.Return, Sharpe = t.Sharpe, Sortino = t.Sortino,
                MaxDrawdown = t.MaxDrawdown.Depth, ExpectancyBps = t.ExpectancyBps, WinRate = t.WinRate, ProfitFactor = t.ProfitFactor,
                SharpePerBar = moments[k].Sharpe,
            };
        }).ToList();
        var best = 0;
        for (var k = 1; k < rows.Count; k++)
            if ((rows[k].Sharpe ?? double.NegativeInfinity) > (rows[best].Sharpe ?? double.NegativeInfinity)) best = k;

        var notes = new List<string>();
        DeflatedSharpeResult? dsr = null;
        CscvResult? pbo = null;
        if (rows.Count < 2) notes.Add("one setting: nothing was selected, so there is no selection luck to price (no DSR, no PBO)");
        else if (length < 2) notes.Add("fewer than 2 bars on the curve: no DSR, no PBO");
        else
        {
            var sharpes = moments.Select(m => m.Sharpe).ToArray();
            var mean = sharpes.Average();
            var variance = sharpes.Sum(s => (s - mean) * (s - mean)) / sharpes.Length;
            var m = moments[best];
            try
            {
                dsr = DeflatedSharpe.Compute(m.Sharpe, length, m.Skewness, m.Kurtosis, variance, rows.Count);
            }
            catch (ArgumentOutOfRangeException e)
            {
                notes.Add($"deflated Sharpe ratio undefined: {e.Message.Split('\n')[0]}");
            }
            if (blocks < 2) notes.Add("too few bars for CSCV blocks: no PBO");
            else
            {
                if (blocks != baseOptions.SweepBlocks) notes.Add($"PBO over {blocks} blocks (sweep_blocks {baseOptions.SweepBlocks} > bars)");
                pbo = BacktestOverfitting.Compute(blockMeans);
            }
        }
        return new SweepResult
        {
            CreatedAt = _time.GetUtcNow(),
            Symbol = bars.Symbol,
            CandidatesSource = source,
            BaseOptions = baseOptions,
            Axes = axes,
            Rows = rows,
            Best = best,
            Bars = length,
            DeflatedSharpe = dsr,
            Pbo = pbo,
            Notes = notes,
        };
    }

    /// <summary>The block of each bar of an axis of <paramref name="length"/> bars cut into <paramref name="blocks"/> contiguous blocks (the first <c>T mod S</c> one bar longer).</summary>
    private static int[] BlockIndex(int length, int blocks)
    {
        var index = new int[length];
        var from = 0;
        for (var b = 0; b < blocks; b++)
        {
            var size = length / blocks + (b < length % blocks ? 1 : 0);
            Array.Fill(index, b, from, size);
            from += size;
        }
        return index;
    }

    /// <summary>Per-bar Sharpe ratio, skewness and kurtosis from the power sums of <paramref name="n"/> returns (population moments; a flat series: 0, 0, 3).</summary>
    private static (double Sharpe, double Skewness, double Kurtosis) Moments(int n, double s1, double s2, double s3, double s4)
    {
        if (n == 0) return (0, 0, 3);
        var mean = s1 / n;
        var m2 = s2 / n - mean * mean;
        if (m2 <= 1e-12 * (s2 / n) || s2 == 0) return (0, 0, 3);
        var m3 = s3 / n - 3 * mean * s2 / n + 2 * mean * mean * mean;
        var m4 = s4 / n - 4 * mean * s3 / n + 6 * mean * mean * s2 / n - 3 * mean * mean * mean * mean;
        var sd = Math.Sqrt(m2);
        return (mean / sd, m3 / (m2 * sd), m4 / (m2 * m2));
    }
}
