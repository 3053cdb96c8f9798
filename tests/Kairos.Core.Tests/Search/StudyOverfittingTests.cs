using Kairos.Errors;
using Kairos.Search;
using Microsoft.Data.Sqlite;
using Kairos.Evaluation.Statistics;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;

namespace Kairos.Tests.Search;

public class StudyOverfittingTests
{
    internal const int Rows = 64;
    internal const int Blocks = 8;

    /// <summary>The series a trial with parameter x records: deterministic in x, different per trial.</summary>
    internal static IReadOnlyList<PerformanceBlock> Series(double x)
    {
        var times = Enumerable.Range(0, Rows).Select(i => 1_700_000_000L + 300L * i).ToArray();
        var ll = Enumerable.Range(0, Rows).Select(i => -0.69 + 0.05 * Math.Sin(i * 0.7 + 10 * x)).ToArray();
        var returns = Enumerable.Range(0, Rows).Select(i => i % 3 == 0 ? 0 : Math.Cos(i * 1.3 + 7 * x) + 0.1 * x).ToArray();
        return PerformanceBlock.FromRows(times, ll, returns, returns.Select(r => r != 0).ToArray(), Blocks);
    }

    /// <summary>Records its series, then prunes trials with x below <paramref name="pruneBelow"/>.</summary>
    internal static Func<ITrial, double> Objective(double pruneBelow = -1) => t =>
    {
        var x = t.SuggestFloat("x", 0, 1);
        var blocks = Series(x);
        t.SetPerformance(blocks);
        t.Report(0, x);
        if (x < pruneBelow) throw new TrialPrunedException();
        return -blocks.Sum(b => b.MeanLogLikelihood * b.Rows) / Rows;
    };

    private static readonly StudyOptions Options = new() { Seed = 4, Sampler = SamplerKind.Random, Pruner = new PrunerOptions { Kind = PrunerKind.None } };

    [Fact]
    public void Optimize_CompleteTrials_StoreTheirBlocksExactlyInSqlite()
    {
        using var storage = new SqliteStudyStorage(Path.Combine(TestData.TempDirectory(), "s.db"));
        var study = Study.CreateOrLoad(storage, "s", Options);

        study.Optimize(Objective(), 6);

        using var reopened = new SqliteStudyStorage(((SqliteStudyStorage)storage).Path);
        var trials = Study.Load(reopened, "s").Trials();
        Assert.Equal(6, trials.Count);
        Assert.All(trials, t => Assert.Equal(Series(t.Params["x"]), t.Blocks!));
    }

    [Fact]
    public void Analyse_PrunedTrials_HaveNoSeriesAndAreExcluded()
    {
        using var storage = new SqliteStudyStorage(Path.Combine(TestData.TempDirectory(), "s.db"));
        var study = Study.CreateOrLoad(storage, "s", Options);
        study.Optimize(Objective(pruneBelow: 0.3), 12);
        var trials = study.Trials();
        var complete = trials.Where(t => t.State == TrialState.Complete).ToList();
        var pruned = trials.Where(t => t.State == TrialState.Pruned).ToList();
        Assert.NotEmpty(pruned);
        Assert.True(complete.Count >= 2);

        var report = StudyOverfitting.Analyse(study, "--study");

        Assert.All(pruned, t => Assert.Null(t.Blocks));
        Assert.Equal(complete.Count, report.Trials);
        Assert.Equal(complete.Select(t => t.Number), report.TrialNumbers);
        Assert.Equal(pruned.Count, report.PrunedTrials);
        Assert.Equal(Blocks, report.Blocks);
        Assert.Equal(Rows, report.Rows);
        Assert.Equal(70, report.LogLikelihood.Splits);
        Assert.Equal(complete.MinBy(t => t.Value)!.Number, report.SelectedTrial);
        Assert.InRange(report.LogLikelihood.Pbo, 0, 1);
        Assert.InRange(report.Returns.Pbo, 0, 1);
        var selected = complete.Single(t => t.Number == report.SelectedTrial);
        var moments = ReturnMoments.Of(selected.Blocks!);
        var sharpes = complete.Select(t => ReturnMoments.Of(t.Blocks!).Sharpe).ToArray();
        var variance = sharpes.Sum(s => (s - sharpes.Average()) * (s - sharpes.Average())) / (sharpes.Length - 1);
        var dsr = report.DeflatedSharpe!;
        Assert.Equal((moments.Sharpe, (long)Rows, complete.Count), (dsr.Sharpe, dsr.Observations, dsr.Trials));
        Assert.Equal(variance, dsr.SharpeVariance, 12);
        Assert.Equal(DeflatedSharpe.Compute(moments.Sharpe, Rows, moments.Skewness, moments.Kurtosis, variance, complete.Count).Dsr, dsr.Dsr, 12);
        Assert.Contains(report.Notes, n => n.Contains($"{pruned.Count} pruned", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyse_OneCompleteTrial_ConfigErrorNamingTheOptionAndTheRule()
    {
        using var storage = new SqliteStudyStorage(Path.Combine(TestData.TempDirectory(), "s.db"));
        var study = Study.CreateOrLoad(storage, "s", Options);
        study.Optimize(Objective(), 1);

        var e = Assert.Throws<ConfigException>(() => StudyOverfitting.Analyse(study, "--study"));

        Assert.Equal("--study", e.Source);
        Assert.Contains("has 1 complete trial(s) with a performance series", e.Message);
        Assert.Contains("need at least 2", e.Message);
    }

    [Fact]
    public void Analyse_DifferentBlockBoundaries_ConfigErrorNamingTheTrials()
    {
        var a = new FrozenTrialBuilder(0, Series(0.1)).Build();
        var b = new FrozenTrialBuilder(1, Series(0.2)).Build();
        var shifted = Series(0.3).Select(x => x with { StartTime = x.StartTime + 1 }).ToList();
        var c = new FrozenTrialBuilder(2, shifted).Build();

        var e = Assert.Throws<ConfigException>(() => StudyOverfitting.Analyse("s", StudyDirection.Minimize, [a, b, c], "--study"));

        Assert.Contains("trial(s) 2 have block boundaries other than trial 0's", e.Message);
    }

    private sealed record FrozenTrialBuilder(int Number, IReadOnlyList<PerformanceBlock> Blocks)
    {
        public FrozenTrial Build() => new()
        {
            TrialId = Number + 1, Number = Number, State = TrialState.Complete, Value = Number, Params = new Dictionary<string, double>(),
            Distributions = new Dictionary<string, ParamDistribution>(), IntermediateValues = new Dictionary<long, double>(),
            Attributes = new Dictionary<string, string>(), Blocks = Blocks,
        };
    }
}
