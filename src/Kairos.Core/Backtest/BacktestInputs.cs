using Kairos.Datasets;
using Kairos.Features;
using Kairos.Predict;
using Kairos.Snapshots;

namespace Kairos.Backtest;

/// <summary>
/// Turns what other stages produce into a backtest's inputs: a <c>kairos predict</c> table into candidates and the
/// bundle's own context, and a dataset's spread setting into the backtest's spread (the spread the model was trained
/// with, unless the backtest says otherwise).
/// </summary>
public static class BacktestInputs
{
    /// <summary>
    /// <paramref name="options"/> with the spread <paramref name="dataset"/> used when they set none: a dataset with
    /// <c>spread.source: constant</c> gives its <c>constant_bps</c>, one with <c>absent</c> gives 0 (it assumed no
    /// spread); with <c>column</c> the bars' own spread is used.
    /// </summary>
    public static BacktestOptions WithDatasetSpread(BacktestOptions options, DatasetConfig dataset) =>
        options.ConstantSpreadBps is not null ? options : dataset.SpreadSource switch
        {
            SpreadSource.Constant => options with { ConstantSpreadBps = dataset.SpreadConstantBps },
            SpreadSource.Absent => options with { ConstantSpreadBps = 0 },
            _ => options,
        };

    /// <summary>
    /// The candidates of a predict table (bars eligible by the dataset's rules, not refused by the out-of-distribution
    /// guard, with a finite <c>p_long</c>) and the context the bundle computed at each of its bars (ATR, session,
    /// volatility regime); bars outside the table get no context (NaN ATR, unknown buckets).
    /// </summary>
    public static (IReadOnlyList<BacktestCandidate> Candidates, BarContext Context) FromPredictions(BarSeries bars, PredictionTable table)
    {
        if (table.Symbol != bars.Symbol) throw new ArgumentException($"the predictions are for {table.Symbol}, the bars for {bars.Symbol}", nameof(table));
        var n = bars.Count;
        var atr = new double[n];
        Array.Fill(atr, double.NaN);
        var session = new int[n];
        Array.Fill(session, -1);
        var vol = new int[n];
        Array.Fill(vol, -1);
        var candidates = new List<BacktestCandidate>();
        for (var row = 0; row < table.Count; row++)
        {
            var i = Array.BinarySearch(bars.Time, table.Time[row]);
            if (i < 0) throw new ArgumentException($"predicted bar {table.Time[row]} is not a bar of the series", nameof(table));
            var c = table.Context[row];
            atr[i] = c.AtrBps;
            session[i] = c.SessionId;
            vol[i] = c.VolRegimeId;
            if (table.Reason[row] == EligibilityReason.Eligible && double.IsFinite(table.PLong[row]))
                candidates.Add(new BacktestCandidate(table.Time[row], table.PLong[row]));
        }
        return (candidates, new BarContext(atr, session, vol));
    }

    /// <summary>Every problem that stops a backtest of <paramref name="bars"/> with <paramref name="options"/>, found before any work.</summary>
    public static IReadOnlyList<string> Problems(BarSeries bars, BacktestOptions options)
    {
        var problems = options.Validate().ToList();
        if (BacktestPrices.Problem(bars, options) is { } spread) problems.Add(spread);
        return problems;
    }
}
