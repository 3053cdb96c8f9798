using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Trees;

namespace Kairos.Tests.Trees;

public sealed class GbdtStageTests : IClassFixture<GbdtStageTests.Fitted>
{
    internal static readonly GbdtStageOptions FastOptions = new()
    {
        Folds = 4,
        EnsembleSize = 2,
        Parameters = new GbdtParameters { MaxIterations = 150, EarlyStoppingRounds = 20, LearningRate = 0.1, MinDataInLeaf = 20, Threads = 1 },
    };

    /// <summary>One fit shared by the tests that only read it.</summary>
    public sealed class Fitted : IDisposable
    {
        public Fitted()
        {
            Problem = SyntheticMarket.Problem();
            Result = GbdtStage.Fit(Problem, FastOptions, "/nowhere/calibrators.json", NullProgressSink.Instance);
        }

        public GbdtProblem Problem { get; }
        public GbdtStageResult Result { get; }
        public void Dispose() => Result.Dispose();
    }

    private readonly Fitted _fitted;

    public GbdtStageTests(Fitted fitted) => _fitted = fitted;

    [Fact]
    public void Fit_TrainRowSignals_ComeFromModelsThatNeverTrainedOnThem()
    {
        var problem = _fitted.Problem;
        var result = _fitted.Result;
        var purge = (problem.LabelHorizonBars + 1) * problem.BarSeconds;

        Assert.Equal(3, result.Groups.Count);
        for (var row = 0; row < problem.Train.Rows; row++)
        {
            var fold = result.GroupOf(problem.Train.Sessions[row]).Folds[result.TrainSignalFold[row]];
            Assert.Contains(row, fold.HeldOutRows);
            Assert.True(Array.BinarySearch(fold.TrainRows, row) < 0, $"row {row} was in the training rows of the fold that scored it");
        }
        foreach (var group in result.Groups)
            foreach (var fold in group.Folds)
            {
                Assert.DoesNotContain(fold.TrainRows, r => problem.Train.Times[r] >= fold.HeldOutStart - purge && problem.Train.Times[r] <= fold.HeldOutEnd + purge);
                Assert.Equal(group.TrainRows.Length, fold.TrainRows.Length + fold.HeldOutRows.Length + fold.Purged + fold.Embargoed);
            }
    }

    [Fact]
    public void Fit_InSampleSignals_MeasurablyMoreConfidentThanOutOfFold()
    {
        var problem = _fitted.Problem;
        var result = _fitted.Result;
        var train = problem.Train;
        var inSample = new double[train.Rows];
        foreach (var group in result.Groups)
        {
            var margins = group.Final.PredictMeanMargin(train.Features.Take(group.TrainRows), 2);
            for (var j = 0; j < group.TrainRows.Length; j++) inSample[group.TrainRows[j]] = margins[j];
        }
        var outOfFold = result.Signals["train"].Margin;
        var test = result.Signals["test"].Margin;

        var inSampleLoss = LogLoss(inSample, train.Labels);
        var outOfFoldLoss = LogLoss(outOfFold, train.Labels);
        var testLoss = LogLoss(test, problem.Others[0].Labels);

        Assert.True(inSampleLoss < outOfFoldLoss - 0.01, $"in-sample {inSampleLoss:F4} vs out-of-fold {outOfFoldLoss:F4}");
        Assert.True(MeanAbs(inSample) > 1.05 * MeanAbs(outOfFold), $"|margin| in-sample {MeanAbs(inSample):F4} vs out-of-fold {MeanAbs(outOfFold):F4}");
        Assert.True(Math.Abs(outOfFoldLoss - testLoss) < Math.Abs(inSampleLoss - testLoss), $"out-of-fold {outOfFoldLoss:F4}, in-sample {inSampleLoss:F4}, test {testLoss:F4}");
    }

    [Fact]
    public void Fit_Signals_WellFormedOnEverySplit()
    {
        foreach (var (name, s) in _fitted.Result.Signals)
        {
            Assert.True(s.Rows > 0, name);
            for (var i = 0; i < s.Rows; i++)
            {
                Assert.InRange(s.PCal[i], 1e-9, 1 - 1e-9);
                Assert.Equal(TreeSignals.Sigmoid(s.Margin[i]), s.PHat[i], 12);
                Assert.InRange(s.Entropy[i], 0, 1);
                Assert.InRange(s.UncertaintyScore[i], 0, s.Entropy[i] + 1e-12);
            }
            Assert.True(s.UncertaintyScore.Average() > 1e-5, $"{name}: members never disagree");
        }
    }

    [Fact]
    public void Fit_Calibrators_FittedPerSessionOnLaterValidationRowsOnly()
    {
        var problem = _fitted.Problem;
        var result = _fitted.Result;
        var validation = problem.Validation;

        Assert.Equal(["EU", "OVERLAP", "US"], result.Calibrators.Keys.Select(k => k.Session));
        foreach (var session in new[] { "EU", "OVERLAP", "US" })
        {
            var rows = Enumerable.Range(0, validation.Rows).Where(i => validation.Sessions[i] == session && result.ValidationCalibrationRows[i]).ToArray();
            Assert.Equal(rows.Length, result.Calibrators.Get(session).SampleCount);
            Assert.All(rows, i => Assert.True(validation.Times[i] >= result.CalibrationStartTime));
            var pCal = rows.Select(i => result.Signals["val"].PCal[i]).Average();
            var rate = rows.Select(i => (double)validation.Labels[i]).Average();
            Assert.Equal(rate, pCal, 2);
        }
    }

    [Fact]
    public void Fit_SessionMissingFromTraining_ThrowsMissingCalibratorNamingSessionBucketPath()
    {
        var problem = SyntheticMarket.Problem(trainRows: 600, validationRows: 400, testRows: 50);
        var test = problem.Others[0];
        var sessions = test.Sessions.Select((s, i) => i == 7 ? "ASIA" : s).ToArray();
        var bad = problem with { Others = [new GbdtSamples("test", test.Times, sessions, test.Features, test.Labels)] };

        var e = Assert.Throws<MissingCalibratorException>(() => GbdtStage.Fit(bad, FastOptions, "/models/x/calibrators.json", NullProgressSink.Instance));

        Assert.Equal("ASIA", e.Session);
        Assert.Equal("all", e.Bucket);
        Assert.Equal("/models/x/calibrators.json", e.SearchedPath);
        Assert.Contains("ASIA", e.Message, StringComparison.Ordinal);
        Assert.Contains("/models/x/calibrators.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_SessionWithOneClassInCalibrationPart_ThrowsNamingSessionAndBucket()
    {
        var problem = SyntheticMarket.Problem(trainRows: 1500, validationRows: 400, testRows: 50);
        var v = problem.Validation;
        var labels = v.Labels.Select((y, i) => v.Sessions[i] == "US" && i >= v.Rows / 2 ? 1 : y).ToArray();
        var bad = problem with { Validation = new GbdtSamples("val", v.Times, v.Sessions, v.Features, labels) };

        var e = Assert.Throws<DataException>(() => GbdtStage.Fit(bad, FastOptions, "c.json", NullProgressSink.Instance));

        Assert.Contains("session 'US', bucket 'all'", e.Message, StringComparison.Ordinal);
        Assert.Contains("calibration", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_InvalidOptions_ReportsEveryProblem()
    {
        var options = FastOptions with { Folds = 1, EnsembleSize = 1, CalibrationFraction = 1.0 };

        var e = Assert.Throws<ConfigException>(() => GbdtStage.Fit(_fitted.Problem, options, "c.json", NullProgressSink.Instance));

        Assert.Equal(3, e.Problems.Count);
    }

    [Fact]
    public void Fit_PooledMode_OneModelSessionCalibratorsAndSameSignalsTwice()
    {
        var problem = SyntheticMarket.Problem(trainRows: 1500, validationRows: 900, testRows: 300);
        var pooled = problem with
        {
            Train = WithSessionColumn(problem.Train),
            Validation = WithSessionColumn(problem.Validation),
            Others = [WithSessionColumn(problem.Others[0])],
            CategoricalColumns = [5, 6],
        };
        var options = FastOptions with { Mode = GbdtModelMode.Pooled };

        using var first = GbdtStage.Fit(pooled, options, "c.json", NullProgressSink.Instance);
        using var second = GbdtStage.Fit(pooled, options, "c.json", NullProgressSink.Instance);

        var group = Assert.Single(first.Groups);
        Assert.Equal("ALL", group.Name);
        Assert.Equal(3, first.Calibrators.Keys.Count);
        Assert.Equal(first.Signals["test"].PCal, second.Signals["test"].PCal);
        Assert.Equal(first.Signals["train"].UncertaintyScore, second.Signals["train"].UncertaintyScore);
    }

    private static GbdtSamples WithSessionColumn(GbdtSamples s)
    {
        var columns = s.Features.Columns;
        var values = new float[s.Rows * (columns + 1)];
        for (var i = 0; i < s.Rows; i++)
        {
            Array.Copy(s.Features.Values, i * columns, values, i * (columns + 1), columns);
            values[i * (columns + 1) + columns] = s.Sessions[i] switch { "EU" => 1, "OVERLAP" => 2, _ => 3 };
        }
        return new GbdtSamples(s.Name, s.Times, s.Sessions, new FeatureMatrix(values, s.Rows, [.. s.Features.FeatureNames, "session_id"]), s.Labels);
    }

    private static double LogLoss(double[] margins, int[] labels) =>
        SyntheticData.LogLoss(margins.Select(TreeSignals.Sigmoid).ToArray(), labels);

    private static double MeanAbs(double[] values) => values.Average(Math.Abs);

    [Fact]
    public void FitFinal_SameProblem_SameFinalModelsAndSignalsAsFitWithoutOutOfFoldModels()
    {
        var problem = _fitted.Problem;

        using var final = GbdtStage.FitFinal(problem, FastOptions, "/nowhere/calibrators.json", NullProgressSink.Instance);

        Assert.All(final.Groups, g => Assert.Empty(g.Folds));
        Assert.Empty(final.TrainSignalFold);
        Assert.False(final.Signals.ContainsKey(problem.Train.Name));
        foreach (var split in new[] { problem.Validation }.Concat(problem.Others))
        {
            Assert.Equal(_fitted.Result.Signals[split.Name].PCal, final.Signals[split.Name].PCal);
            Assert.Equal(_fitted.Result.Signals[split.Name].Margin, final.Signals[split.Name].Margin);
        }
        Assert.Equal(_fitted.Result.Groups.Select(g => g.Final.Members[0].ModelText), final.Groups.Select(g => g.Final.Members[0].ModelText));
    }
}
