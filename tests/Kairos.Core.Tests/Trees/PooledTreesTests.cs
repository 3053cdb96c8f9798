using Kairos.Datasets;
using Kairos.Evaluation;
using Kairos.Progress;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Trees;

namespace Kairos.Tests.Trees;

/// <summary>
/// The trees stage on a pooled real EURUSD + GBPUSD + XAUUSD dataset: <c>symbol_id</c> is a LightGBM categorical
/// feature, the scoring path (replay, predict and serve all stream bars through <see cref="FeatureStream"/> and
/// <see cref="TreeSignalModel"/>) reproduces the stage's signals per symbol, and evaluation reports each symbol.
/// </summary>
public sealed class PooledTreesTests : IClassFixture<PooledTreesTests.Ran>
{
    public sealed class Ran
    {
        public Ran()
        {
            Dataset = PooledRealData.Build();
            var output = TestData.TempDirectory("kairos-pooled-trees");
            Report = GbdtRun.Execute(new GbdtRunOptions
            {
                Dataset = Dataset.Directory,
                Out = output,
                EnrichedOut = Path.Combine(output, "datasets"),
                BootstrapResamples = 10,
                Stage = GbdtStageTests.FastOptions with { Folds = 3 },
            }, TimeProvider.System, NullProgressSink.Instance);
        }

        public DatasetBuildResult Dataset { get; }
        public GbdtRunReport Report { get; }
    }

    private readonly Ran _ran;

    public PooledTreesTests(Ran ran) => _ran = ran;

    [Fact]
    public void Execute_PooledDataset_SymbolIdIsACategoricalTreeFeature()
    {
        var meta = _ran.Report.Metadata;

        Assert.Contains("symbol_id", meta.FeatureNames);
        Assert.Contains("symbol_id", meta.CategoricalFeatures);
        var enriched = DatasetReader.Open(_ran.Report.EnrichedDatasetDirectory).Metadata;
        Assert.Equal(_ran.Dataset.Metadata.SymbolVocabulary, enriched.SymbolVocabulary);
        Assert.Equal(_ran.Dataset.Metadata.FeatureContractHash, enriched.FeatureContractHash);
    }

    /// <summary>p_cal of every test bar of <paramref name="symbol"/>'s bars streamed as <paramref name="scoredAs"/>, by time.</summary>
    private Dictionary<long, double> Stream(string symbol, string scoredAs, HashSet<long> times)
    {
        var bars = PooledRealData.Source().Series.Single(s => s.Symbol == symbol);
        var stream = FeatureStream.FromDataset(_ran.Dataset.Metadata, _ran.Dataset.Directory);
        stream.BindSymbol(scoredAs);
        using var model = TreeSignalModel.Load(_ran.Report.ArtifactDirectory, stream);
        var result = new Dictionary<long, double>();
        for (var r = 0; r < bars.Count; r++)
        {
            stream.Update(Bar.At(bars, r));
            if (!times.Contains(bars.Time[r])) continue;
            Assert.Equal(EligibilityReason.Eligible, stream.Reason);
            result[bars.Time[r]] = model.Score(stream).PCal;
        }
        return result;
    }

    [Fact]
    public void Score_EachSymbolStreamedBarByBar_EqualsTheStageSignalsAndAnotherSymbolIdChangesThem()
    {
        var test = DatasetReader.Open(_ran.Report.EnrichedDatasetDirectory).ReadSplit("test");
        var pCal = test.Double("p_cal");
        var changed = 0;
        foreach (var (symbol, other) in new[] { ("EURUSD", "XAUUSD"), ("XAUUSD", "EURUSD") })
        {
            var rows = Enumerable.Range(0, test.Rows).Where(i => test.Symbol[i] == symbol).ToList();
            var times = rows.Select(i => test.Timestamp[i]).ToHashSet();
            var live = Stream(symbol, symbol, times);
            Assert.Equal(rows.Count, live.Count);
            foreach (var i in rows) Assert.Equal(pCal[i], live[test.Timestamp[i]], 1e-9);
            var swapped = Stream(symbol, other, times);
            changed += rows.Count(i => Math.Abs(swapped[test.Timestamp[i]] - pCal[i]) > 1e-12);
        }
        Assert.True(changed > 0, "scoring a bar as the other symbol must change some tree signals: symbol_id is a feature the trees split on");
    }

    [Fact]
    public void Evaluate_PooledTestPredictions_PerSymbolMetricsSumToThePooledCounts()
    {
        var test = DatasetReader.Open(_ran.Report.EnrichedDatasetDirectory).ReadSplit("test");
        var predictions = new Predictions("pooled test", test.Double("p_cal"), test.Int("y_direction"), timestamps: test.Timestamp, symbols: test.Symbol);
        var options = new EvaluationOptions { BootstrapResamples = 0 };

        var report = PredictionsEvaluator.Evaluate(predictions, options);

        var groups = report.BySymbol!;
        Assert.Equal(["EURUSD", "XAUUSD"], groups.Select(g => g.Value));
        Assert.Equal(report.Overall.Count, groups.Sum(g => g.Metrics.Count));
        Assert.Equal(report.Overall.Positives, groups.Sum(g => g.Metrics.Positives));
        var c = report.Overall.Confusion;
        Assert.Equal(c.TruePositives, groups.Sum(g => g.Metrics.Confusion.TruePositives));
        Assert.Equal(c.FalsePositives, groups.Sum(g => g.Metrics.Confusion.FalsePositives));
        Assert.Equal(c.TrueNegatives, groups.Sum(g => g.Metrics.Confusion.TrueNegatives));
        Assert.Equal(c.FalseNegatives, groups.Sum(g => g.Metrics.Confusion.FalseNegatives));
        // Each symbol's metrics are those of its own rows evaluated alone.
        foreach (var g in groups)
        {
            var rows = Enumerable.Range(0, test.Rows).Where(i => test.Symbol[i] == g.Value).ToArray();
            var alone = PredictionsEvaluator.Evaluate(new Predictions(g.Value, rows.Select(i => test.Double("p_cal")[i]).ToArray(), rows.Select(i => test.Int("y_direction")[i]).ToArray()), options);
            Assert.Equal(alone.Overall.Brier, g.Metrics.Brier, 12);
            Assert.Equal(alone.Overall.PrAuc, g.Metrics.PrAuc);
        }
        // One symbol: no per-symbol section (an unpooled report is unchanged).
        var one = Enumerable.Range(0, test.Rows).Where(i => test.Symbol[i] == "EURUSD").ToArray();
        var single = PredictionsEvaluator.Evaluate(new Predictions("one", one.Select(i => test.Double("p_cal")[i]).ToArray(), one.Select(i => test.Int("y_direction")[i]).ToArray(), symbols: one.Select(i => test.Symbol[i]).ToArray()), options);
        Assert.Null(single.BySymbol);
    }
}
