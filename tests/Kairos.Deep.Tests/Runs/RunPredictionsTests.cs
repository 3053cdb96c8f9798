using Kairos.Datasets;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Features;
using Kairos.Tests;

namespace Kairos.Deep.Tests.Runs;

public class RunPredictionsTests
{
    private const string File = "/data/ds/val.parquet";

    /// <summary>Split rows built in code: 12 bars, 5 minutes apart, every session and regime id, labels alternating in pairs.</summary>
    private static DatasetSplit Rows(int n = 12, int[]? sessions = null, int[]? labels = null) => new("val", n,
    [
        new("timestamp", Enumerable.Range(0, n).Select(i => 1_735_689_600L + 300L * i).ToArray()),
        new("symbol", Enumerable.Range(0, n).Select(i => i < n / 2 ? "EURUSD" : "XAUUSD").ToArray()),
        new("session_id", sessions ?? Enumerable.Range(0, n).Select(i => i % SessionTable.Names.Count).ToArray()),
        new("vol_regime_id", Enumerable.Range(0, n).Select(i => i % ContextValues.VolRegimeNames.Count).ToArray()),
        new("y_direction", labels ?? Enumerable.Range(0, n).Select(i => i / 2 % 2).ToArray()),
    ]);

    private static double[] Probabilities(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (double)(float)random.NextDouble()).ToArray();
    }

    [Fact]
    public void FromRows_ValidRows_JoinsEveryColumnInRowOrder()
    {
        var rows = Rows();
        var p = Probabilities(rows.Rows, seed: 1);

        var predictions = RunPredictions.FromRows(rows, File, p, "the model in RUN");

        Assert.Equal(p, predictions.Probabilities);
        Assert.Equal(rows.Timestamp, predictions.Timestamps);
        Assert.Equal(rows.Symbol, predictions.Symbols);
        Assert.Equal(rows.Int("y_direction"), predictions.Labels);
        Assert.Equal(rows.Int("session_id").Select(id => SessionTable.Names[id]), predictions.Sessions!);
        Assert.Equal(rows.Int("vol_regime_id").Select(id => ContextValues.VolRegimeNames[id]), predictions.VolRegimes!);
        Assert.Contains("the model in RUN", predictions.Source);
        Assert.Contains(File, predictions.Source);
    }

    [Fact]
    public void FromRows_NonFiniteProbability_FailsNamingFileAndRow()
    {
        var p = Probabilities(12, seed: 2);
        p[4] = double.NaN;

        var e = Assert.Throws<DataException>(() => RunPredictions.FromRows(Rows(), File, p, "the model"));

        Assert.Equal("non-finite-prediction", e.Rule);
        Assert.Equal(File, e.File);
        Assert.Equal(5, e.Line);
    }

    [Fact]
    public void FromRows_FewerProbabilitiesThanRows_FailsNamingBothCounts()
    {
        var e = Assert.Throws<DataException>(() => RunPredictions.FromRows(Rows(), File, Probabilities(11, seed: 3), "the model"));

        Assert.Equal("prediction-count", e.Rule);
        Assert.Contains("11 probabilities", e.Message);
        Assert.Contains("12 rows", e.Message);
    }

    [Fact]
    public void FromRows_SessionIdOutsideContract_FailsNamingColumn()
    {
        var sessions = Enumerable.Repeat(0, 12).ToArray();
        sessions[7] = SessionTable.Names.Count;

        var e = Assert.Throws<DataException>(() => RunPredictions.FromRows(Rows(sessions: sessions), File, Probabilities(12, seed: 4), "the model"));

        Assert.Equal("category-out-of-range", e.Rule);
        Assert.Equal("session_id", e.Column);
    }

    [Fact]
    public void FromRows_NonBinaryLabel_FailsNamingRowAndColumn()
    {
        var labels = Enumerable.Repeat(1, 12).ToArray();
        labels[2] = 2;

        var e = Assert.Throws<DataException>(() => RunPredictions.FromRows(Rows(labels: labels), File, Probabilities(12, seed: 5), "the model"));

        Assert.Equal("label-not-binary", e.Rule);
        Assert.Equal("y_direction", e.Column);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void FromRows_MissingColumn_FailsNamingIt()
    {
        var full = Rows();
        var rows = new DatasetSplit("val", full.Rows, full.Columns.Where(c => c.Key != "vol_regime_id").ToList());

        var e = Assert.Throws<DataException>(() => RunPredictions.FromRows(rows, File, Probabilities(12, seed: 6), "the model"));

        Assert.Equal("column-missing", e.Rule);
        Assert.Equal("vol_regime_id", e.Column);
    }

    [Fact]
    public void Write_TwoSplits_FilesReadBackExactlyWithSummariesAndLogLines()
    {
        var dir = TestData.TempDirectory("kairos-run-predictions");
        var rows = Rows();
        var bySplit = new Dictionary<string, Predictions>
        {
            ["val"] = RunPredictions.FromRows(rows, File, Probabilities(rows.Rows, seed: 7), "the model"),
            ["test"] = RunPredictions.FromRows(rows, File, Probabilities(rows.Rows, seed: 8), "the model"),
        };
        var logPath = Path.Combine(dir, "training.log");
        var echoed = new List<string>();

        IReadOnlyList<PredictionsFileSummary> written;
        using (var log = new TrainingLog(logPath, echoed.Add, TimeProvider.System))
            written = RunPredictions.Write(dir, ["val", "test"], split => bySplit[split], log);

        Assert.Equal(["val", "test"], written.Select(w => w.Split));
        foreach (var summary in written)
        {
            var expected = bySplit[summary.Split];
            var path = Path.Combine(dir, summary.File);
            Assert.Equal(PredictionsLocation.FileName(summary.Split), summary.File);
            Assert.Equal(string.Join(',', PredictionsCsv.TimestampColumn, PredictionsCsv.SymbolColumn, PredictionsCsv.LabelColumn,
                PredictionsCsv.ProbabilityColumn, PredictionsCsv.SessionColumn, PredictionsCsv.VolRegimeColumn), System.IO.File.ReadLines(path).First());
            var read = PredictionsCsv.Read(path);
            Assert.Equal(expected.Probabilities, read.Probabilities); // round-trip exact
            Assert.Equal(expected.Timestamps, read.Timestamps);
            Assert.Equal(expected.Symbols, read.Symbols);
            Assert.Equal(expected.Labels, read.Labels);
            Assert.Equal(expected.Sessions, read.Sessions);
            Assert.Equal(expected.VolRegimes, read.VolRegimes);
            Assert.Equal(rows.Rows, summary.Direction.Rows);
            Assert.Equal(expected.Labels!.Sum(), summary.Direction.Positives);
            Assert.Equal(ClassificationMetrics.AveragePrecision(expected.Labels, expected.Probabilities), summary.Direction.PrAuc);
            Assert.Equal(ClassificationMetrics.Brier(expected.Labels, expected.Probabilities), summary.Direction.Brier);
        }
        Assert.Equal(2, echoed.Count);
        Assert.Contains("predictions: val 12 rows -> predictions_val.csv", echoed[0]);
        Assert.Contains("predictions: test 12 rows -> predictions_test.csv", echoed[1]);
        Assert.Equal(2, System.IO.File.ReadAllLines(logPath).Count(l => l.Contains("predictions: ", StringComparison.Ordinal)));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void Write_NoSplits_WritesNothing()
    {
        var dir = TestData.TempDirectory("kairos-run-predictions-none");
        using var log = new TrainingLog(Path.Combine(dir, "training.log"), null, TimeProvider.System);

        var written = RunPredictions.Write(dir, [], _ => throw new InvalidOperationException("no split to predict"), log);

        Assert.Empty(written);
        Assert.Empty(Directory.GetFiles(dir, "predictions_*.csv"));
    }
}
