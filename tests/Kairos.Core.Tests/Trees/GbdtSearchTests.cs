using Kairos.Progress;
using Kairos.Search;
using Kairos.Trees;
using Kairos.Search.Storage;

namespace Kairos.Tests.Trees;

public sealed class GbdtSearchTests
{
    private static readonly GbdtStageOptions Options = GbdtStageTests.FastOptions;

    private sealed class FixedTrial(Dictionary<string, double> values, int pruneAfterReports = int.MaxValue) : ITrial
    {
        public List<(long Step, double Value)> Reports { get; } = [];
        public Dictionary<string, string> Attributes { get; } = [];
        public int Number => 0;
        public double SuggestFloat(string name, double low, double high, bool log = false) => values[name];
        public long SuggestInt(string name, long low, long high, bool log = false) => (long)values[name];
        public string SuggestCategorical(string name, IReadOnlyList<string> choices) => choices[0];
        public void Report(long step, double value) => Reports.Add((step, value));
        public bool ShouldPrune() => Reports.Count >= pruneAfterReports;
        public void SetAttribute(string key, string value) => Attributes[key] = value;
        public IReadOnlyList<PerformanceBlock>? Blocks { get; private set; }
        public void SetPerformance(IReadOnlyList<PerformanceBlock> blocks) => Blocks = blocks;
    }

    private static Dictionary<string, double> Values(double learningRate = 0.1) => new()
    {
        ["num_leaves"] = 15, ["max_depth"] = 4, ["learning_rate"] = learningRate, ["feature_fraction"] = 0.8,
        ["bagging_fraction"] = 0.8, ["min_data_in_leaf"] = 20, ["lambda_l2"] = 1.0,
    };

    [Fact]
    public void Evaluate_FixedTrial_ReportsNonIncreasingCurveEveryTenIterationsAndReturnsItsEnd()
    {
        using var objective = new GbdtSearchObjective(SyntheticMarket.Problem(2000, 1000, 100), Options);
        var trial = new FixedTrial(Values());

        var value = objective.Evaluate(trial);

        Assert.NotEmpty(trial.Reports);
        Assert.All(trial.Reports, r => Assert.Equal(0, r.Step % GbdtSearchObjective.ReportEvery));
        for (var k = 1; k < trial.Reports.Count; k++) Assert.True(trial.Reports[k].Value <= trial.Reports[k - 1].Value);
        Assert.True(value <= trial.Reports[^1].Value);
        Assert.InRange(value, 0.3, 0.69);
        Assert.Matches("^EU:[0-9]+,OVERLAP:[0-9]+,US:[0-9]+$", trial.Attributes["best_iterations"]);
        Assert.Equal(value, objective.Evaluate(new FixedTrial(Values())));
    }

    [Fact]
    public void Evaluate_FixedTrial_RecordsTimeOrderedBlocksWhoseLogLikelihoodIsTheValue()
    {
        var problem = SyntheticMarket.Problem(2000, 1000, 100);
        using var objective = new GbdtSearchObjective(problem, Options, new GbdtOverfitOptions { Blocks = 8, Margin = 0.01 });
        var trial = new FixedTrial(Values());

        var value = objective.Evaluate(trial);

        var blocks = trial.Blocks!;
        Assert.Equal(Enumerable.Range(0, 8), blocks.Select(b => b.Index));
        var calibrationStart = GbdtStage.CalibrationStart(problem.Validation, Options.CalibrationFraction);
        Assert.Equal(problem.Validation.Times.Count(t => t < calibrationStart), blocks.Sum(b => b.Rows));
        Assert.True(blocks.Max(b => b.Rows) - blocks.Min(b => b.Rows) <= 1);
        for (var b = 1; b < blocks.Count; b++) Assert.True(blocks[b].StartTime >= blocks[b - 1].EndTime);
        Assert.True(blocks[^1].EndTime < calibrationStart);
        // The row-weighted mean log-likelihood is minus LightGBM's validation log loss, the trial's value.
        Assert.Equal(-value, blocks.Sum(b => b.MeanLogLikelihood * b.Rows) / blocks.Sum(b => b.Rows), 1e-6);
        Assert.All(blocks, b => Assert.InRange(b.Trades, 0, b.Rows));
        Assert.Contains(blocks, b => b.Trades > 0);
    }

    [Fact]
    public void Evaluate_PrunerSaysStop_ThrowsTrialPruned()
    {
        using var objective = new GbdtSearchObjective(SyntheticMarket.Problem(2000, 1000, 100), Options);
        var trial = new FixedTrial(Values(0.01), pruneAfterReports: 2);

        Assert.Throws<TrialPrunedException>(() => objective.Evaluate(trial));

        Assert.Equal(2, trial.Reports.Count);
    }

    [Fact]
    public void Run_StoredStudy_ResumesAndReturnsTheBestTrialsParameters()
    {
        var dir = TestData.TempDirectory();
        var problem = SyntheticMarket.Problem(1000, 800, 100);
        var search = new GbdtSearchOptions { Trials = 3, Seed = 3, Objective = GbdtSearchObjectiveKind.Validation };
        using (var storage = new SqliteStudyStorage(Path.Combine(dir, "study.sqlite")))
            GbdtSearch.Run(problem, Options, search, storage, "s", NullProgressSink.Instance);

        using var again = new SqliteStudyStorage(Path.Combine(dir, "study.sqlite"));
        var outcome = GbdtSearch.Run(problem, Options, search with { Trials = 5 }, again, "s", NullProgressSink.Instance);
        using var objective = new GbdtSearchObjective(problem, Options with { Parameters = outcome.Best });
        var trials = Study.Load(again, "s").Trials();

        Assert.Equal(5, trials.Count);
        Assert.Equal(5, outcome.Complete + outcome.Pruned + outcome.Failed);
        Assert.Equal(trials.Where(t => t.State == TrialState.Complete).Min(t => t.Value), outcome.BestValue);
        var p = outcome.Best;
        var replay = new FixedTrial(new Dictionary<string, double>
        {
            ["num_leaves"] = p.NumLeaves, ["max_depth"] = p.MaxDepth, ["learning_rate"] = p.LearningRate, ["feature_fraction"] = p.FeatureFraction,
            ["bagging_fraction"] = p.BaggingFraction, ["min_data_in_leaf"] = p.MinDataInLeaf, ["lambda_l2"] = p.LambdaL2,
        });
        Assert.Equal(outcome.BestValue, objective.Evaluate(replay), 12);
    }

    [Fact]
    public void Evaluate_FoldsObjective_ScoresEveryTrainingRowOnceAndRecordsItsHeldOutAuc()
    {
        var problem = SyntheticMarket.Problem(2000, 1000, 100);
        using var folds = new GbdtSearchObjective(problem, Options, new GbdtOverfitOptions { Blocks = 8 }, GbdtSearchObjectiveKind.Folds, 3);
        using var validation = new GbdtSearchObjective(problem, Options, new GbdtOverfitOptions { Blocks = 8 });
        var trial = new FixedTrial(Values());
        var one = new FixedTrial(Values());

        var value = folds.Evaluate(trial);
        var single = validation.Evaluate(one);

        Assert.Equal(GbdtSearchObjectiveKind.Folds, folds.Kind);
        // Every training row is held out by exactly one fold of its group: the series covers the whole training split in time.
        Assert.Equal(problem.Train.Rows, trial.Blocks!.Sum(b => b.Rows));
        Assert.True(trial.Blocks![^1].EndTime <= problem.Train.Times.Max());
        Assert.Equal(-value, trial.Blocks!.Sum(b => b.MeanLogLikelihood * b.Rows) / trial.Blocks!.Sum(b => b.Rows), 1e-6);
        Assert.Matches("^EU/fold0:[0-9]+,EU/fold1:[0-9]+,EU/fold2:[0-9]+,OVERLAP/fold0:", trial.Attributes["best_iterations"]);
        var auc = double.Parse(trial.Attributes[GbdtSearchObjective.HeldOutAucAttribute], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(auc, 0.55, 1.0);
        Assert.NotEqual(single, value);
        Assert.Equal(problem.Validation.Times.Count(t => t < GbdtStage.CalibrationStart(problem.Validation, Options.CalibrationFraction)), one.Blocks!.Sum(b => b.Rows));
    }

    [Fact]
    public void Run_DefaultSearch_UsesFoldsAndReportsTheMedianTrial()
    {
        var dir = TestData.TempDirectory();
        var problem = SyntheticMarket.Problem(1500, 800, 400);
        using var storage = new SqliteStudyStorage(Path.Combine(dir, "study.sqlite"));

        var outcome = GbdtSearch.Run(problem, Options, new GbdtSearchOptions { Trials = 5, Seed = 1, Overfit = new GbdtOverfitOptions { Blocks = 4 } }, storage, "s", NullProgressSink.Instance);

        Assert.Equal(GbdtSearchObjectiveKind.Folds, outcome.Objective);
        var complete = Study.Load(storage, "s").Trials().Where(t => t.State == TrialState.Complete).OrderBy(t => t.Value).ToList();
        Assert.Equal(complete[(complete.Count - 1) / 2].Number, outcome.MedianTrial);
        Assert.Equal(complete[(complete.Count - 1) / 2].Value, outcome.MedianValue);
        Assert.NotNull(outcome.BestHeldOutAuc);
        Assert.NotNull(outcome.MedianParameters);
    }

    [Fact]
    public void SearchCheck_PboAboveMax_FallsBackToDefaultsAndSaysSo()
    {
        var dir = TestData.TempDirectory();
        var problem = SyntheticMarket.Problem(1500, 800, 400);
        using var storage = new SqliteStudyStorage(Path.Combine(dir, "study.sqlite"));
        var outcome = GbdtSearch.Run(problem, Options, new GbdtSearchOptions { Trials = 4, Seed = 2, Overfit = new GbdtOverfitOptions { Blocks = 4 } }, storage, "s", NullProgressSink.Instance);
        Assert.NotNull(outcome.Overfit);
        var lucky = outcome with { Overfit = outcome.Overfit! with { LogLikelihood = outcome.Overfit.LogLikelihood with { Pbo = 0.75 } } };
        var sound = outcome with { Overfit = outcome.Overfit! with { LogLikelihood = outcome.Overfit.LogLikelihood with { Pbo = 0.25 } } };

        var fallback = GbdtSearchCheck.Measure(problem, Options, Options.Parameters, lucky, 0.5);
        var kept = GbdtSearchCheck.Measure(problem, Options, Options.Parameters, sound, 0.5);

        Assert.True(fallback.FellBackToDefaults);
        Assert.Contains("default parameters", fallback.Note);
        Assert.Equal(0.75, fallback.Pbo);
        Assert.False(kept.FellBackToDefaults);
        Assert.Equal(fallback.BestTestAuc, kept.BestTestAuc);
        Assert.InRange(kept.BestTestAuc!.Value, 0.5, 1.0);
        Assert.NotNull(kept.DefaultTestAuc);
        Assert.NotNull(kept.MedianTestAuc);
        Assert.Equal(kept.BestHeldOutAuc!.Value - kept.BestTestAuc!.Value, kept.ValidationToTestDrop!.Value, 12);
    }
}
