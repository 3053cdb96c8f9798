using Kairos.Artifacts;
using Kairos.Progress;
using Kairos.Replay;

namespace Kairos.Tests.Replay;

public class ReplayComparisonTests
{
    private static IReadOnlyList<ReplayReport> Run(Kairos.Snapshots.BarSeries bars, ReplayWindow window, params ScriptedPredictor[] predictors) =>
        new ReplayEngine(new ReplayOptions { Permutations = 99 }, TimeProvider.System).Run(bars, predictors, window, NullProgressSink.Instance);

    [Fact]
    public void Create_TwoModels_CountsAgreementAndPicksTheBetterSide()
    {
        var bars = TestBars.RandomWalk(400, 5);
        // A trades long every 20th bar; B trades long at the same bars and short 10 bars later; B sees fewer candidates.
        var a = new ScriptedPredictor("a", (i, _) => ScriptedPredictor.Eligible(i % 20 == 0 ? 0.8 : 0.5 + (i % 7) * 0.001, session: i / 12 % 4));
        var b = new ScriptedPredictor("b", (i, _) => i % 5 == 4
            ? ScriptedPredictor.Ineligible(Kairos.Datasets.EligibilityReason.SpreadCap)
            : ScriptedPredictor.Eligible(i % 20 == 0 ? 0.9 : i % 20 == 10 ? 0.1 : 0.5 + (i % 7) * 0.001, session: i / 12 % 4));

        var reports = Run(bars, ReplayWindow.All, a, b);
        var comparison = ReplayComparison.Create(reports[0], reports[1]);

        var ag = comparison.Agreement;
        Assert.Equal(320, ag.CommonCandidates);
        Assert.Equal(80, ag.CandidatesOnlyA);
        Assert.Equal(0, ag.CandidatesOnlyB);
        Assert.Equal(20, ag.TradesSameBarSameDirection);
        Assert.Equal(0, ag.TradesSameBarOppositeDirection);
        Assert.Equal(20, ag.TradesOnlyB);
        Assert.Equal(0, ag.TradesOnlyA);
        var common = Enumerable.Range(0, 400).Where(i => i % 5 != 4).ToArray();
        var xa = common.Select(i => reports[0].Trace!.PLong[i]).ToArray();
        var xb = common.Select(i => reports[1].Trace!.PLong[i]).ToArray();
        var (ma, mb) = (xa.Average(), xb.Average());
        var pearson = xa.Zip(xb).Sum(p => (p.First - ma) * (p.Second - mb)) /
            Math.Sqrt(xa.Sum(x => (x - ma) * (x - ma)) * xb.Sum(x => (x - mb) * (x - mb)));
        Assert.Equal(pearson, ag.PLongCorrelation!.Value, 9);
        Assert.Equal(xa.Zip(xb).Average(p => Math.Abs(p.Second - p.First)), ag.MeanAbsPLongDifference!.Value, 12);
        var trades = comparison.Rows.Single(r => r.Metric == "trades_created");
        Assert.Equal(20.0, trades.A);
        Assert.Equal(40.0, trades.B);
        Assert.Equal(20.0, trades.Delta);
        Assert.Null(trades.Better);
        var against = comparison.Rows.Single(r => r.Metric == "goes_against_us_rate");
        var expected = against.B < against.A ? "b" : against.B > against.A ? "a" : "same";
        Assert.Equal(expected, against.Better);
        Assert.Equal(reports[0].Trades.All.GoesAgainstUsRate, against.A);
    }

    [Fact]
    public void Create_DifferentWindows_Throws()
    {
        var bars = TestBars.Flat(50);
        var first = Run(bars, ReplayWindow.All, new ScriptedPredictor("a", (_, _) => ScriptedPredictor.Eligible(0.5)))[0];
        var second = Run(bars, new ReplayWindow(TestBars.Start + 10 * TestBars.Step, null), new ScriptedPredictor("b", (_, _) => ScriptedPredictor.Eligible(0.5)))[0];

        var error = Assert.Throws<ArgumentException>(() => ReplayComparison.Create(first, second));
        Assert.Contains("different bars", error.Message);
    }

    [Fact]
    public void Serialize_Comparison_IsSnakeCaseWithBothReports()
    {
        var bars = TestBars.RandomWalk(100, 9);
        var reports = Run(bars, ReplayWindow.All,
            new ScriptedPredictor("a", (i, _) => ScriptedPredictor.Eligible(i % 4 == 0 ? 0.7 : 0.5)),
            new ScriptedPredictor("b", (i, _) => ScriptedPredictor.Eligible(0.5)));

        var a = reports[0] with { Model = reports[0].Model with { PLongSource = PLongSource.Trees } };
        var b = reports[1] with { Model = reports[1].Model with { PLongSource = PLongSource.Hybrid } };

        var json = ArtifactJson.Serialize(ReplayComparison.Create(a, b));

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("kairos.replay_comparison", root.GetProperty("kind").GetString());
        Assert.Equal(2, root.GetProperty("schema_version").GetInt32());
        Assert.Equal(1, root.GetProperty("min_reader_version").GetInt32());
        Assert.Equal("trees", root.GetProperty("a").GetProperty("model").GetProperty("p_long_source").GetString());
        Assert.Equal("hybrid", root.GetProperty("b").GetProperty("model").GetProperty("p_long_source").GetString());
        Assert.Equal("a", root.GetProperty("a").GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(reports[0].Trades.Created, root.GetProperty("a").GetProperty("trades").GetProperty("created").GetInt32());
        Assert.Equal("long", root.GetProperty("a").GetProperty("trade_list")[0].GetProperty("direction").GetString());
        Assert.True(root.GetProperty("agreement").GetProperty("common_candidates").GetInt32() == 100);
        Assert.False(root.GetProperty("a").TryGetProperty("trace", out _));
    }
}
