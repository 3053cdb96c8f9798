using System.Diagnostics;
using System.Globalization;
using Kairos.Errors;
using Kairos.Evaluation.Statistics;

namespace Kairos.Search;

/// <summary>
/// Builds the <see cref="OverfitReport"/> of a study from the performance series its complete trials stored
/// (<see cref="FrozenTrial.Blocks"/>). Pruned and failed trials have no full series and are left out; every
/// trial used must share the same block boundaries.
/// </summary>
public static class StudyOverfitting
{
    /// <summary>Fewest complete trials with a series CSCV and the deflation accept.</summary>
    public const int MinTrials = 2;

    /// <summary>Fewest blocks (an even number) CSCV accepts.</summary>
    public const int MinBlocks = 4;

    /// <summary>The analysis of <paramref name="study"/>; <paramref name="source"/> (e.g. <c>--study</c>) is named in errors.</summary>
    public static OverfitReport Analyse(Study study, string source) => Analyse(study.Name, study.Options.Direction, study.Trials(), source);

    /// <summary>Why the trials cannot be analysed (empty when they can).</summary>
    public static IReadOnlyList<string> Problems(string studyName, IReadOnlyList<FrozenTrial> trials)
    {
        var usable = Usable(trials);
        var problems = new List<string>();
        var complete = trials.Count(t => t.State == TrialState.Complete);
        if (usable.Count < MinTrials)
            problems.Add($"study '{studyName}' has {usable.Count} complete trial(s) with a performance series ({complete} complete, " +
                         $"{trials.Count(t => t.State == TrialState.Pruned)} pruned, {trials.Count(t => t.State == TrialState.Failed)} failed); " +
                         $"CSCV and the deflated Sharpe ratio need at least {MinTrials} (pruned and failed trials have no series: run more trials)");
        if (usable.Count == 0) return problems;
        var layout = usable[0].Blocks!;
        if (layout.Count < MinBlocks || layout.Count % 2 != 0 || layout.Count > BacktestOverfitting.MaxBlocks)
            problems.Add($"the trials' series have {layout.Count} blocks; CSCV needs an even number of blocks between {MinBlocks} and {BacktestOverfitting.MaxBlocks} (overfit.blocks of the study)");
        var differing = usable.Where(t => !SameLayout(t.Blocks!, layout)).Select(t => t.Number).ToList();
        if (differing.Count > 0)
            problems.Add($"trial(s) {string.Join(", ", differing.Take(10))} have block boundaries other than trial {usable[0].Number}'s; " +
                         "CSCV needs the same blocks for every trial (a study measures all trials on one dataset and one overfit.blocks)");
        return problems;
    }

    public static OverfitReport Analyse(string studyName, StudyDirection direction, IReadOnlyList<FrozenTrial> trials, string source)
    {
        var problems = Problems(studyName, trials);
        if (problems.Count > 0) throw new ConfigException(source, problems);
        var clock = Stopwatch.StartNew();
        var usable = Usable(trials);
        var s = usable[0].Blocks!.Count;
        var n = usable.Count;
        var ll = new double[s][];
        var ret = new double[s][];
        for (var b = 0; b < s; b++)
        {
            ll[b] = new double[n];
            ret[b] = new double[n];
            for (var k = 0; k < n; k++)
            {
                var block = usable[k].Blocks![b];
                ll[b][k] = block.MeanLogLikelihood + Math.Log(2);
                ret[b][k] = block.MeanReturn;
            }
        }
        var logLikelihood = BacktestOverfitting.Compute(ll);
        var returns = BacktestOverfitting.Compute(ret);

        var selected = direction == StudyDirection.Minimize ? usable.MinBy(t => t.Value!.Value)! : usable.MaxBy(t => t.Value!.Value)!;
        var moments = usable.Select(t => ReturnMoments.Of(t.Blocks!)).ToList();
        var sharpes = moments.Select(m => m.Sharpe).ToArray();
        var meanSharpe = sharpes.Average();
        var sharpeVariance = sharpes.Sum(x => (x - meanSharpe) * (x - meanSharpe)) / (n - 1);
        var mine = moments[usable.IndexOf(selected)];
        var notes = new List<string>
        {
            $"N = {n}: complete trials with a performance series; {trials.Count(t => t.State == TrialState.Pruned)} pruned and " +
            $"{trials.Count(t => t.State == TrialState.Failed)} failed trial(s) have no full series and are excluded",
        };
        var withoutSeries = trials.Count(t => t.State == TrialState.Complete) - n;
        if (withoutSeries > 0) notes.Add($"{withoutSeries} complete trial(s) stored without a series (an older Kairos) are excluded");
        var flat = moments.Count(m => m.Variance == 0);
        if (flat > 0) notes.Add($"{flat} trial(s) never traded: their Sharpe ratio counts as 0");
        DeflatedSharpeResult? dsr = null;
        if (mine.Variance == 0)
            notes.Add($"the selected trial {selected.Number} never traded (its returns are all 0): no deflated Sharpe ratio");
        else
            dsr = DeflatedSharpe.Compute(mine.Sharpe, mine.Rows, mine.Skewness, mine.Kurtosis, sharpeVariance, n);
        notes.Add("blocks are contiguous in time and not independent (overlapping label horizons, regimes): read PBO and DSR as indications, not exact probabilities");

        var layout = usable[0].Blocks!;
        return new OverfitReport
        {
            Study = studyName,
            Trials = n,
            CompleteTrials = trials.Count(t => t.State == TrialState.Complete),
            PrunedTrials = trials.Count(t => t.State == TrialState.Pruned),
            FailedTrials = trials.Count(t => t.State == TrialState.Failed),
            CompleteWithoutSeries = withoutSeries,
            Blocks = s,
            Rows = layout.Sum(b => (long)b.Rows),
            FirstTime = layout[0].StartTime,
            LastTime = layout[^1].EndTime,
            SelectedTrial = selected.Number,
            SelectedValue = selected.Value!.Value,
            SelectedTrades = selected.Blocks!.Sum(b => b.Trades),
            LogLikelihood = logLikelihood,
            Returns = returns,
            DeflatedSharpe = dsr,
            TrialNumbers = usable.Select(t => t.Number).ToList(),
            Notes = notes,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    private static List<FrozenTrial> Usable(IReadOnlyList<FrozenTrial> trials) =>
        trials.Where(t => t.State == TrialState.Complete && t.Value is not null && t.Blocks is { Count: > 0 }).OrderBy(t => t.Number).ToList();

    private static bool SameLayout(IReadOnlyList<PerformanceBlock> a, IReadOnlyList<PerformanceBlock> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.StartTime == p.Second.StartTime && p.First.EndTime == p.Second.EndTime && p.First.Rows == p.Second.Rows);

    /// <summary>Formats a Unix time as ISO UTC (for reports).</summary>
    public static string Utc(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
