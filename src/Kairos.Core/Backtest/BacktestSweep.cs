using Kairos.Errors;
using Kairos.Search;
using Kairos.Snapshots;

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
        var results = new BacktestResult[settings.Count];
        for (var k = 0; k < settings.Count; k++) results[k] = _engine.Run(prepared, settings[k].Options, source, full: false);

        var length = results.Max(r => r.CurveEquity.Length);
        var returns = results.Select(r =>
        {
            var padded = new double[length];
            BacktestStatistics.Returns(r.CurveEquity, r.Options.InitialCapital).CopyTo(padded, 0);
            return padded;
        }).ToArray();
        var moments = returns.Select(Moments).ToArray();
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
            var blocks = Math.Min(baseOptions.SweepBlocks, length - length % 2);
            if (blocks < 2) notes.Add("too few bars for CSCV blocks: no PBO");
            else
            {
                if (blocks != baseOptions.SweepBlocks) notes.Add($"PBO over {blocks} blocks (sweep_blocks {baseOptions.SweepBlocks} > bars)");
                pbo = BacktestOverfitting.Compute(BlockMeans(returns, blocks));
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

    /// <summary>Mean per-bar return of each setting in each of <paramref name="blocks"/> contiguous blocks (the first <c>T mod S</c> one bar longer).</summary>
    private static IReadOnlyList<IReadOnlyList<double>> BlockMeans(double[][] returns, int blocks)
    {
        var t = returns[0].Length;
        var matrix = new List<IReadOnlyList<double>>(blocks);
        var from = 0;
        for (var b = 0; b < blocks; b++)
        {
            var size = t / blocks + (b < t % blocks ? 1 : 0);
            var row = new double[returns.Length];
            for (var k = 0; k < returns.Length; k++)
            {
                double sum = 0;
                for (var i = from; i < from + size; i++) sum += returns[k][i];
                row[k] = sum / size;
            }
            matrix.Add(row);
            from += size;
        }
        return matrix;
    }

    /// <summary>Per-bar Sharpe ratio, skewness and kurtosis (population moments; a flat series: 0, 0, 3).</summary>
    private static (double Sharpe, double Skewness, double Kurtosis) Moments(double[] r)
    {
        var n = r.Length;
        if (n == 0) return (0, 0, 3);
        double mean = 0;
        foreach (var x in r) mean += x;
        mean /= n;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var x in r)
        {
            var d = x - mean;
            var d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        if (m2 <= 1e-30) return (0, 0, 3);
        var sd = Math.Sqrt(m2);
        return (mean / sd, m3 / (m2 * sd), m4 / (m2 * m2));
    }
}
