using Kairos.Features;
using Kairos.Snapshots;

namespace Kairos.Tests.Features;

/// <summary>Contract tests every feature passes (warm-up, determinism, no look-ahead) plus engine behaviour.</summary>
public class FeatureEngineTests
{
    public static TheoryData<string> AllFeatures()
    {
        var data = new TheoryData<string>();
        foreach (var f in FeatureCatalog.DefaultSnapshotFeatures.Union(FeatureCatalog.DefaultSequenceFeatures).Union(["spread_z_12", "volu_ratio_12", "h1_macd", "h4_er_12", "h1_vol_6"]))
            data.Add(f);
        return data;
    }

    private static FeatureEngineOptions Options(params string[] features) => new()
    {
        Features = features,
        VolRegimeWindow = 200,
        VolRegimeMinPeriods = 20,
        TrendEmaPeriod = 50,
    };

    [Theory]
    [MemberData(nameof(AllFeatures))]
    public void Compute_EveryFeature_NaNBeforeReadyAndFiniteFromDeclaredWarmUp(string feature)
    {
        var bars = SyntheticBars.RandomWalk(3000, seed: 1);
        var engine = new FeatureEngine(Options(feature));
        var warmUp = engine.FeatureWarmUps[0];
        var table = FeatureEngine.Compute(bars, Options(feature));
        var col = table.Columns[0];
        var firstReady = Array.FindIndex(col, double.IsFinite);
        Assert.True(firstReady >= 0, $"{feature} never became ready");
        Assert.True(firstReady <= warmUp - 1, $"{feature}: declared warm-up {warmUp} but first value at bar {firstReady + 1}");
        for (var r = firstReady; r < col.Length; r++) Assert.True(double.IsFinite(col[r]), $"{feature} not finite at {r}");
        for (var r = 0; r < firstReady; r++) Assert.True(double.IsNaN(col[r]));
    }

    [Theory]
    [MemberData(nameof(AllFeatures))]
    public void Compute_EveryFeature_PassesLookaheadCheck(string feature)
    {
        var bars = SyntheticBars.RandomWalk(2500, seed: 2, gapEvery: 700);
        var result = LookaheadCheck.Run(bars, s => FeatureEngine.Compute(s, Options(feature)), cuts: 3);
        Assert.Equal(1, result.FeaturesChecked);
        Assert.True(result.ValuesCompared > 1000);
    }

    [Fact]
    public void Compute_SameInputTwice_BitIdentical()
    {
        var bars = SyntheticBars.RandomWalk(1500, seed: 3);
        var options = Options([.. FeatureCatalog.DefaultSnapshotFeatures]);
        var a = FeatureEngine.Compute(bars, options);
        var b = FeatureEngine.Compute(bars, options);
        for (var c = 0; c < a.Columns.Length; c++) Assert.Equal(a.Columns[c], b.Columns[c]);
    }

    [Fact]
    public void Compute_WithSink_StreamsTheTableValuesInRowOrderChunks()
    {
        // More rows than one chunk and not a multiple of it; two parts, so columns arrive from two threads.
        var bars = SyntheticBars.RandomWalk(FeatureEngine.SinkChunkRows * 2 + 777, seed: 5, gapEvery: 5000);
        var options = Options([.. FeatureCatalog.DefaultSnapshotFeatures.Take(30)]);
        var table = FeatureEngine.Compute(bars, options, parallelism: 2);
        var streamed = new double[30][];
        for (var c = 0; c < 30; c++) streamed[c] = new double[bars.Count];
        var next = new int[30];
        var streamedTable = FeatureEngine.Compute(bars, options, (c, first, values) =>
        {
            Assert.Equal(next[c], first);
            Assert.InRange(values.Length, 1, FeatureEngine.SinkChunkRows);
            values.CopyTo(streamed[c].AsSpan(first));
            next[c] = first + values.Length;
        }, parallelism: 2);
        Assert.All(next, n => Assert.Equal(bars.Count, n));
        Assert.All(streamedTable.Columns, column => Assert.Empty(column));
        for (var c = 0; c < 30; c++)
            Assert.Equal(table.Columns[c].Select(BitConverter.DoubleToInt64Bits), streamed[c].Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(table.Ready, streamedTable.Ready);
        Assert.Equal(table.AtrBps, streamedTable.AtrBps);
        Assert.Equal(table.SessionId, streamedTable.SessionId);
        Assert.Equal(table.VolRegimeId, streamedTable.VolRegimeId);
        Assert.Equal(table.BarsSinceGap, streamedTable.BarsSinceGap);
        Assert.Contains(table.Ready, r => !r);
    }

    [Fact]
    public void Update_BarByBar_EqualsOfflineCompute()
    {
        var bars = SyntheticBars.RandomWalk(2000, seed: 4, gapEvery: 333);
        var options = Options([.. FeatureCatalog.DefaultSnapshotFeatures]);
        var offline = FeatureEngine.Compute(bars, options);
        var live = new FeatureEngine(options);
        for (var i = 0; i < bars.Count; i++)
        {
            live.Update(Bar.At(bars, i));
            Assert.Equal(bars.Time[i] + 300, live.KnowableAt);
            for (var c = 0; c < offline.Columns.Length; c++)
                Assert.Equal(offline.Columns[c][i], live.Values[c]);
            Assert.Equal(offline.VolRegimeId[i], live.Context.VolRegimeId);
            Assert.Equal(offline.Ready[i], live.IsReady);
        }
    }

    [Fact]
    public void Update_HigherTimeframeFeature_ChangesOnlyWhenTheHourCloses()
    {
        var bars = SyntheticBars.RandomWalk(600, seed: 5);
        var table = FeatureEngine.Compute(bars, Options("h1_ret_1", "h1_range_bps"));
        var col = table.Column("h1_range_bps");
        for (var r = 1; r < bars.Count; r++)
        {
            var closesHour = (bars.Time[r] + 300) % 3600 == 0;
            if (!closesHour && double.IsFinite(col[r - 1])) Assert.Equal(col[r - 1], col[r]);
        }
        // The H1 range at the close of 00:55 is the range of the 00:00-01:00 hour, from its 12 bars.
        var r0 = Array.FindIndex(bars.Time, t => (t + 300) % 3600 == 0);
        var hi = bars.High[(r0 - 11)..(r0 + 1)].Max();
        var lo = bars.Low[(r0 - 11)..(r0 + 1)].Min();
        Assert.Equal((hi - lo) / bars.Close[r0] * 1e4, col[r0], 9);
    }

    [Fact]
    public void Update_GapLongerThanMax_ResetsBarsSinceGap()
    {
        var bars = SyntheticBars.RandomWalk(100, gapEvery: 50);
        var table = FeatureEngine.Compute(bars, Options("ret_1"));
        Assert.Equal(0, table.BarsSinceGap[50]);
        Assert.Equal(49, table.BarsSinceGap[49]);
        Assert.Equal(60.0, table.LastGapMinutes[50]);
    }

    [Fact]
    public void Update_TimeNotIncreasing_Throws()
    {
        var engine = new FeatureEngine(Options("ret_1"));
        engine.Update(new Bar(600, 1, 1, 1, 1, 1, 0));
        Assert.Throws<ArgumentException>(() => engine.Update(new Bar(600, 1, 1, 1, 1, 1, 0)));
        Assert.Throws<ArgumentException>(() => engine.Update(new Bar(1000, 1, 1, 1, 1, 1, 0)));
    }

    [Fact]
    public void Constructor_SpreadFeatureWithAbsentSpread_Throws() =>
        Assert.Throws<ArgumentException>(() => new FeatureEngine(Options("spread_z_288") with { Spread = SpreadSource.Absent }));

    [Fact]
    public void Compute_KnownValues_MatchHandComputedReturnsAndCandle()
    {
        var bars = new BarSeries("T", TimeSpan.FromMinutes(5), [0, 300, 600], [1, 1.1, 1.2], [1.2, 1.3, 1.25], [0.9, 1.0, 1.1], [1.1, 1.2, 1.15], [1, 2, 3]);
        var t = FeatureEngine.Compute(bars, Options("ret_1", "ret_2", "body", "upper_wick", "range_bps") with { Spread = SpreadSource.Absent });
        Assert.True(double.IsNaN(t.Column("ret_1")[0]));
        Assert.Equal(Math.Log(1.2 / 1.1), t.Column("ret_1")[1], 1e-12);
        Assert.Equal(Math.Log(1.15 / 1.1), t.Column("ret_2")[2], 1e-12);
        Assert.Equal((1.15 - 1.2) / (1.25 - 1.1), t.Column("body")[2], 1e-12);
        Assert.Equal((1.25 - 1.2) / 0.15, t.Column("upper_wick")[2], 9);
        Assert.Equal(0.3 / 1.1 * 1e4, t.Column("range_bps")[0], 9);
    }

    [Fact]
    public void Update_RealEurusdBarByBar_EqualsParallelOfflineBuild()
    {
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"));
        var options = new FeatureEngineOptions { Features = [.. FeatureCatalog.DefaultSnapshotFeatures] };
        var offline = FeatureEngine.Compute(bars, options, parallelism: 2);
        var live = new FeatureEngine(options);
        var worst = 0.0;
        var worstAt = "";
        var readyRows = 0;
        for (var i = 0; i < bars.Count; i++)
        {
            live.Update(Bar.At(bars, i));
            var values = live.Values;
            for (var c = 0; c < values.Length; c++)
            {
                var a = offline.Columns[c][i];
                var b = values[c];
                if (double.IsNaN(a) != double.IsNaN(b)) Assert.Fail($"{options.Features[c]} readiness differs at row {i}");
                var d = double.IsNaN(a) ? 0 : Math.Abs(a - b);
                if (d > worst) (worst, worstAt) = (d, $"{options.Features[c]} row {i}");
            }
            Assert.Equal(offline.Ready[i], live.IsReady);
            Assert.Equal(offline.VolRegimeId[i], live.Context.VolRegimeId);
            Assert.Equal(offline.TrendRegimeId[i], live.Context.TrendRegimeId);
            readyRows += live.IsReady ? 1 : 0;
        }
        Assert.True(worst <= 1e-9, $"largest difference {worst} at {worstAt}");
        Assert.True(readyRows > 60_000);
    }

    [Fact]
    public void Push_RealGbpusdM1Stream_EqualsOfflineResampledM5Build()
    {
        var m1 = BarCsvReader.Read(TestData.File("GBPUSD_M1_2012-02_fxcm_bidask.csv"));
        var m5 = BarResampler.Resample(m1, TimeSpan.FromMinutes(5));
        Assert.True(m5.PartialBuckets > 0);
        var options = new FeatureEngineOptions { Features = [.. FeatureCatalog.DefaultSnapshotFeatures], VolRegimeWindow = 1000, VolRegimeMinPeriods = 100 };
        var offline = FeatureEngine.Compute(m5.Series, options);
        var stream = new StreamingFeatureEngine(options, TimeSpan.FromMinutes(1));
        var row = 0;
        for (var i = 0; i < m1.Count; i++)
        {
            if (!stream.Push(Bar.At(m1, i))) continue;
            foreach (var b in stream.Completed) Assert.Equal(Bar.At(m5.Series, row++), b);
            var values = stream.Engine.Values;
            for (var c = 0; c < values.Length; c++)
                Assert.True(offline.Columns[c][row - 1].Equals(values[c]), $"{options.Features[c]} at M5 row {row - 1}");
        }
        Assert.Equal(m5.Series.Count, row);
        Assert.Contains(offline.SpreadBps, s => s < 0);
    }

    [Fact]
    public void LookaheadCheck_RealXauusdAllDefaultFeatures_Passes()
    {
        var bars = BarCsvReader.Read(TestData.File("XAUUSD_M5_2025_mt5.csv"));
        var options = new FeatureEngineOptions { Features = [.. FeatureCatalog.DefaultSnapshotFeatures] };
        var result = LookaheadCheck.Run(bars, s => FeatureEngine.Compute(s, options), cuts: 3);
        Assert.Equal(88, result.FeaturesChecked);
    }
}
