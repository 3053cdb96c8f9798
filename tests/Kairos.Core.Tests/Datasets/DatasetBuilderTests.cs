using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Snapshots;
using Kairos.Features;
using Kairos.Tests.Features;

namespace Kairos.Tests.Datasets;

public class DatasetBuilderTests
{
    internal const string SmallConfig = """
        warmup_bars: 50
        blocked_sessions: [ASIA]
        vol_regime: {window: 300, min_periods: 50}
        trend_regime: {ema_period: 50}
        seq_len: 10
        sequence_features: [ret_1, z_20, range_bps, tod_sin]
        snapshot_features: [ret_1, ret_12, vol_12, atr_14, rsi_14, ema_dist_21, h1_ret_1, spread_z_288]
        """;

    private static DatasetSource Source(BarSeries bars) => new([bars], new Dictionary<string, string>());

    [Fact]
    public void Build_SyntheticBars_WritesSplitsMetadataAndReadableWindows()
    {
        var bars = SyntheticBars.RandomWalk(8000, gapEvery: 2000);
        var root = TestData.TempDirectory();
        var config = DatasetConfigLoader.Parse(SmallConfig);
        var result = DatasetBuilder.Build(Source(bars), config, root, new DatasetBuildOptions { CheckLookahead = true });

        Assert.False(result.AlreadyExisted);
        Assert.Equal([result.Metadata.Id], Directory.GetDirectories(root).Select(Path.GetFileName));
        foreach (var f in new[] { "dataset.json", "splits.json", "sequence.parquet", "train.parquet", "val.parquet", "test.parquet" })
            Assert.True(File.Exists(Path.Combine(result.Directory, f)), f);
        var m = result.Metadata;
        Assert.Matches("^[0-9a-f]{16}$", m.FeatureContractHash);
        Assert.Equal(FeatureContractHashOf(m), m.FeatureContractHash);
        Assert.NotNull(m.LookaheadCheck);
        Assert.Equal(m.Eligibility.Eligible, m.Eligibility.TotalBars - m.Eligibility.ByReason.Values.Sum());
        Assert.True(m.Eligibility.ByReason["blocked_session"] > 0);
        Assert.True(m.Eligibility.ByReason["data_gap"] > 0);
        Assert.True(m.Eligibility.ByReason["label_gap"] > 0);

        var reader = DatasetReader.Open(result.Directory);
        var train = reader.ReadSplit("train");
        var val = reader.ReadSplit("val");
        var test = reader.ReadSplit("test");
        Assert.Equal(m.Split("train").Rows, train.Rows);
        Assert.True(train.Rows > 1000 && val.Rows > 100 && test.Rows > 100);
        var purge = m.SplitPlan.PurgeBars * 300L;
        Assert.True(train.LabelEnd.Max() < val.Timestamp.Min());
        Assert.True(val.Timestamp.Min() - train.Timestamp.Max() > purge);
        Assert.True(test.Timestamp.Min() - val.Timestamp.Max() > purge);
        Assert.All(train.Int("session_id"), s => Assert.NotEqual(0, s));

        var windows = reader.BuildWindows(train);
        Assert.Equal([train.Rows, 10, 4], windows.Shape);
        Assert.DoesNotContain(windows.Data, float.IsNaN);
        // The last row of each window is the decision bar's sequence row, scaled with the train scaler.
        var seq = reader.ReadSequence();
        var scaler = reader.ScalersFor("train").Sequence;
        var i = train.Rows / 2;
        var row = (int)train.SeqRow[i];
        for (var c = 0; c < 4; c++)
            Assert.Equal((float)((seq[c][row] - scaler.Mean[c]) / scaler.Std[c]), windows.Data[(i * 10 + 9) * 4 + c]);
        Assert.Equal(train.Timestamp[i], bars.Time[row]);
        // The snapshot matrix holds the split's own unscaled values after scaling.
        var snap = reader.BuildSnapshotMatrix(val);
        Assert.Equal([val.Rows, 8], snap.Shape);
        var s2 = reader.ScalersFor("val").Snapshot;
        Assert.Equal((float)((val.Double("rsi_14")[3] - s2.Mean[4]) / s2.Std[4]), snap.Data[3 * 8 + 4]);
        Assert.Equal(5, reader.BuildContextCategorical(val).Length / val.Rows);
    }

    [Fact]
    public void Build_SameInputsTwice_SameIdAndExistingDirectoryReused()
    {
        var bars = SyntheticBars.RandomWalk(4000);
        var root = TestData.TempDirectory();
        var config = DatasetConfigLoader.Parse(SmallConfig);
        var a = DatasetBuilder.Build(Source(bars), config, root);
        var b = DatasetBuilder.Build(Source(bars), config, root);
        Assert.Equal(a.Metadata.Id, b.Metadata.Id);
        Assert.True(b.AlreadyExisted);
        var c = DatasetBuilder.Build(Source(bars), config with { SeqLen = 12 }, root);
        Assert.NotEqual(a.Metadata.Id, c.Metadata.Id);
    }

    [Fact]
    public void Build_ValAndTestBarsChanged_TrainScalersUnchanged()
    {
        var bars = SyntheticBars.RandomWalk(8000);
        var valStart = DateTime.UnixEpoch.AddSeconds(bars.Time[5000]);
        var config = DatasetConfigLoader.Parse(SmallConfig + $"\nsplits: {{method: dates, val_start: {valStart:yyyy-MM-ddTHH:mm:ssZ}, test_start: {valStart.AddDays(5):yyyy-MM-ddTHH:mm:ssZ}}}");
        var changed = Scale(bars, 5000, 1.3);
        var a = DatasetBuilder.Build(Source(bars), config, TestData.TempDirectory()).Metadata;
        var b = DatasetBuilder.Build(Source(changed), config, TestData.TempDirectory()).Metadata;
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(a.Split("train").Rows, b.Split("train").Rows);
        Assert.Equal(a.Scalers["train"].Snapshot.Mean, b.Scalers["train"].Snapshot.Mean);
        Assert.Equal(a.Scalers["train"].Snapshot.Std, b.Scalers["train"].Snapshot.Std);
        Assert.Equal(a.Scalers["train"].Sequence.Mean, b.Scalers["train"].Sequence.Mean);
        Assert.Equal(a.Scalers["train"].Context.Mean, b.Scalers["train"].Context.Mean);
        Assert.Equal(a.Scalers["train"].AtrBucketThresholdsBps, b.Scalers["train"].AtrBucketThresholdsBps);
        // The check can fail: statistics over all rows differ from the train-only ones.
        var reader = DatasetReader.Open(DatasetBuilder.Build(Source(bars), config, TestData.TempDirectory()).Directory);
        var all = reader.ReadSplit("train").Double("atr_14").Concat(reader.ReadSplit("val").Double("atr_14")).Concat(reader.ReadSplit("test").Double("atr_14")).Average();
        Assert.NotEqual(all, a.Scalers["train"].Snapshot.Mean[3]);
    }

    [Fact]
    public void Build_WithFolds_WritesForwardChainingFoldsWithOwnScalers()
    {
        var bars = SyntheticBars.RandomWalk(9000);
        var config = DatasetConfigLoader.Parse(SmallConfig + "\nsplits: {folds: 3, embargo_bars: 6}");
        var result = DatasetBuilder.Build(Source(bars), config, TestData.TempDirectory());
        var m = result.Metadata;
        Assert.Equal(3, m.SplitPlan.Folds.Count);
        var reader = DatasetReader.Open(result.Directory);
        long previousTrainRows = 0;
        for (var k = 1; k <= 3; k++)
        {
            var tr = reader.ReadSplit($"fold_{k}_train");
            var va = reader.ReadSplit($"fold_{k}_val");
            Assert.True(tr.Rows > previousTrainRows);
            previousTrainRows = tr.Rows;
            Assert.True(tr.LabelEnd.Max() < va.Timestamp.Min());
            Assert.True(va.Timestamp.Max() < m.SplitPlan.TestStart);
            Assert.Equal($"fold_{k}", m.Split($"fold_{k}_val").ScalerGroup);
            Assert.Equal(tr.Rows, m.Scalers[$"fold_{k}"].TrainRows);
        }
        var reused = DatasetConfigLoader.Parse(SmallConfig + $"\nsplits: {{method: file, file: '{Path.Combine(result.Directory, "splits.json")}'}}");
        var again = DatasetBuilder.Build(Source(bars), reused, TestData.TempDirectory()).Metadata;
        Assert.Equal(m.SplitPlan.Folds, again.SplitPlan.Folds);
        Assert.Equal(m.Split("fold_2_val").Rows, again.Split("fold_2_val").Rows);
        Assert.NotNull(again.Lineage.SplitFileHash);
    }

    [Fact]
    public void Build_NoSpreadColumnWithSourceColumn_ConfigErrorAndNothingWritten()
    {
        var bars = SyntheticBars.RandomWalk(3000, spread: false);
        var root = TestData.TempDirectory();
        var e = Assert.Throws<ConfigException>(() => DatasetBuilder.Build(Source(bars), DatasetConfigLoader.Parse(SmallConfig), root));
        Assert.Contains(e.Problems, p => p.Contains("has no spread column"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Build_SpreadAbsent_NoSpreadColumnsAndContractSaysSo()
    {
        var bars = SyntheticBars.RandomWalk(4000, spread: false);
        var config = DatasetConfigLoader.Parse(SmallConfig.Replace(", spread_z_288", "") + "\nspread: {source: absent}");
        var result = DatasetBuilder.Build(Source(bars), config, TestData.TempDirectory());
        var reader = DatasetReader.Open(result.Directory);
        var train = reader.ReadSplit("train");
        Assert.False(train.Has("spread_bps"));
        Assert.False(train.Has("spread_bucket"));
        Assert.Equal(["atr_bps"], result.Metadata.ContextContinuous);
        Assert.Equal("absent", result.Metadata.FeatureContract["spread"]!["source"]!.GetValue<string>());
        Assert.Equal(4, reader.BuildContextCategorical(train).Length / train.Rows);
    }

    [Fact]
    public void Build_SpreadConstant_RecordedAndUsed()
    {
        var bars = SyntheticBars.RandomWalk(4000, spread: false);
        var config = DatasetConfigLoader.Parse(SmallConfig + "\nspread: {source: constant, constant_bps: 2.5}");
        var result = DatasetBuilder.Build(Source(bars), config, TestData.TempDirectory());
        var train = DatasetReader.Open(result.Directory).ReadSplit("train");
        Assert.All(train.Double("spread_bps"), v => Assert.Equal(2.5, v));
        Assert.All(train.Int("spread_bucket"), v => Assert.Equal(1, v));
        Assert.Equal(2.5, result.Metadata.FeatureContract["spread"]!["constant_bps"]!.GetValue<double>());
    }

    private static BarSeries WithoutVolume(BarSeries s) =>
        new(s.Symbol, s.BarSize, s.Time, s.Open, s.High, s.Low, s.Close, new double[s.Count], s.Spread, s.Ask, hasVolume: false);

    [Fact]
    public void Build_VolumeFeaturesOnBarsWithoutVolume_FailsBeforeAnyWorkNamingThemAndTheListWithout()
    {
        var bars = WithoutVolume(SyntheticBars.RandomWalk(3000));
        var root = TestData.TempDirectory();
        var config = DatasetConfigLoader.Parse(SmallConfig.Replace("tod_sin]", "tod_sin, volu_z_48]").Replace("spread_z_288]", "spread_z_288, volu_ratio_48]"));

        var e = Assert.Throws<ConfigException>(() => DatasetBuilder.Build(Source(bars), config, root));

        var problem = Assert.Single(e.Problems);
        Assert.StartsWith($"volume: '{bars.Symbol}' has no volume", problem);
        Assert.Contains("these features read it: volu_ratio_48, volu_z_48", problem);
        Assert.Contains("set 'volume: absent'", problem);
        Assert.Contains("snapshot_features: [ret_1, ret_12, vol_12, atr_14, rsi_14, ema_dist_21, h1_ret_1, spread_z_288]", problem);
        Assert.Contains("sequence_features: [ret_1, z_20, range_bps, tod_sin]", problem);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Build_VolumeAbsent_LeavesVolumeFeaturesOutAndTheContractSaysSo()
    {
        var bars = WithoutVolume(SyntheticBars.RandomWalk(4000));
        var defaultLists = string.Join("\n", SmallConfig.Split('\n').Where(l => !l.Contains("_features:", StringComparison.Ordinal)));
        var config = DatasetConfigLoader.Parse(defaultLists + "\nvolume: absent");

        var result = DatasetBuilder.Build(Source(bars), config, TestData.TempDirectory());

        var m = result.Metadata;
        Assert.DoesNotContain(m.SnapshotFeatures, FeatureCatalog.UsesVolume);
        Assert.DoesNotContain(m.SequenceFeatures, FeatureCatalog.UsesVolume);
        Assert.Equal(84, m.SnapshotFeatures.Count);
        Assert.Equal(15, m.SequenceFeatures.Count);
        Assert.Equal("absent", m.FeatureContract["volume"]!["source"]!.GetValue<string>());
        Assert.Equal(["volu_z_12", "volu_z_48", "volu_z_288", "volu_ratio_48"],
            m.FeatureContract["volume"]!["absent_features"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(FeatureContractHashOf(m), m.FeatureContractHash);
    }

    [Fact]
    public void Build_WithVolume_ContractHasNoVolumeEntry()
    {
        var result = DatasetBuilder.Build(Source(SyntheticBars.RandomWalk(4000)), DatasetConfigLoader.Parse(SmallConfig), TestData.TempDirectory());

        Assert.False(result.Metadata.FeatureContract.ContainsKey("volume"));
    }

    private static string FeatureContractHashOf(DatasetMetadata m) => FeatureContract.Hash(m.FeatureContract);

    private static BarSeries Scale(BarSeries s, int from, double factor)
    {
        double[] F(double[] a) => a.Select((v, i) => i >= from ? v * factor : v).ToArray();
        return new BarSeries(s.Symbol, s.BarSize, s.Time, F(s.Open), F(s.High), F(s.Low), F(s.Close), s.Volume, s.Spread);
    }

    private static long Unix(string iso) => (long)(DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal) - DateTime.UnixEpoch).TotalSeconds;

    [Fact]
    public void Build_RealXauusd_GapsAreKillSwitchedAndNoLabelCrossesThem()
    {
        var bars = BarCsvReader.Read(TestData.File("XAUUSD_M5_2025_mt5.csv"));
        var result = DatasetBuilder.Build(Source(bars), new DatasetConfig(), TestData.TempDirectory(), new DatasetBuildOptions { CheckLookahead = true });
        var m = result.Metadata;
        Assert.True(m.Eligibility.ByReason["data_gap"] > 150 * 12 / 2, "daily breaks, early closes and the Good Friday closure trip the kill-switch");
        Assert.True(m.Eligibility.ByReason["label_gap"] > 100);
        Assert.True(m.SymbolInfo[0].Gaps > 200);
        var reader = DatasetReader.Open(result.Directory);
        var samples = m.Splits.Where(s => !s.Name.StartsWith("fold_", StringComparison.Ordinal)).SelectMany(s => reader.ReadSplit(s.Name, ["timestamp", "label_end", "seq_row"]).Timestamp).ToHashSet();
        // Good Friday: market closed 2025-04-17T20:55Z .. 2025-04-20T22:00Z; the first hour after reopening is not sampled.
        var reopen = Unix("2025-04-20T22:00:00Z");
        for (var k = 0; k < 12; k++) Assert.DoesNotContain(reopen + k * 300, samples);
        Assert.Contains(samples, t => t > reopen + 12 * 300 && t < reopen + 48 * 3600);
        // US-holiday early close 2025-06-19 17:15Z: the last bars before it cannot have a label window.
        var close = Unix("2025-06-19T17:15:00Z");
        for (var k = 0; k < 12; k++) Assert.DoesNotContain(close - k * 300, samples);
        // No label window crosses a gap: it spans the 12-bar horizon plus at most the tolerated 30 minutes of missing bars.
        foreach (var split in new[] { "train", "val", "test" })
        {
            var sp = reader.ReadSplit(split);
            for (var i = 0; i < sp.Rows; i++) Assert.InRange(sp.LabelEnd[i] - sp.Timestamp[i], 12 * 300, 12 * 300 + 30 * 60);
        }
    }

    [Fact]
    public void Build_RealBtcusdtWithoutSpread_AbsentSpreadAndNoGaps()
    {
        var bars = BarCsvReader.Read(TestData.File("BTCUSDT_5m_2025_bybit-perp.csv"));
        Assert.False(bars.HasSpread);
        var e = Assert.Throws<ConfigException>(() => DatasetBuilder.Build(Source(bars), new DatasetConfig(), TestData.TempDirectory()));
        Assert.Contains(e.Problems, p => p.Contains("BTCUSDT") && p.Contains("no spread column"));

        var config = DatasetConfigLoader.Parse("spread: {source: absent}\nblocked_sessions: []");
        var result = DatasetBuilder.Build(Source(bars), config, TestData.TempDirectory());
        var m = result.Metadata;
        Assert.Equal(0, m.Eligibility.ByReason["data_gap"]);
        Assert.Equal(0, m.Eligibility.ByReason["blocked_session"]);
        Assert.Equal(0, m.Eligibility.ByReason["label_gap"]);
        Assert.Equal(0, m.Eligibility.ByReason["spread_cap"]);
        Assert.Equal(86, m.SnapshotFeatures.Count);
        Assert.Equal(["spread_ratio_288", "spread_z_288"], m.FeatureContract["spread"]!["absent_features"]!.AsArray().Select(n => n!.GetValue<string>()));
        var train = DatasetReader.Open(result.Directory).ReadSplit("train");
        Assert.False(train.Has("spread_bps"));
        Assert.Equal(4, Enumerable.Range(0, 4).Count(s => train.Int("session_id").Contains(s)));
    }

    [Fact]
    public void Build_RealGbpusdM1BidAsk_ResampledToM5WithNegativeSpreadsReported()
    {
        var m1 = BarCsvReader.Read(TestData.File("GBPUSD_M1_2012-02_fxcm_bidask.csv"));
        var config = DatasetConfigLoader.Parse("vol_regime: {window: 1000, min_periods: 100}");
        var result = DatasetBuilder.Build(Source(m1), config, TestData.TempDirectory());
        var info = result.Metadata.SymbolInfo[0];
        Assert.Equal(60, info.SourceBarSeconds);
        Assert.Equal(300, result.Metadata.BarSeconds);
        Assert.NotNull(info.ResampledFrom);
        Assert.True(info.PartialBuckets > 0);
        Assert.True(info.NegativeSpreadBars > 0);
        Assert.InRange(info.Bars, m1.Count / 5, m1.Count / 5 + 200);
        var reader = DatasetReader.Open(result.Directory);
        var train = reader.ReadSplit("train");
        Assert.All(train.Timestamp, t => Assert.Equal(0, t % 300));
        Assert.True(train.Rows > 2000);
        Assert.DoesNotContain(reader.BuildWindows(train).Data, float.IsNaN);
    }

    [Fact]
    public void Build_TwoSymbolsWithFolds_FilesAndScalersEqualTheInMemoryFeatureTableBitForBit()
    {
        // The build streams feature values through a spill on disk; an independent in-memory computation
        // (FeatureEngine.Compute, StandardScaler.Fit) must give the very same bits.
        var a = SyntheticBars.RandomWalk(9000, seed: 7, gapEvery: 3000);
        var other = SyntheticBars.RandomWalk(8500, seed: 11, start: 1_735_689_600 + 300 * 37);
        var b = new BarSeries("SYN2", other.BarSize, other.Time, other.Open, other.High, other.Low, other.Close, other.Volume, other.Spread);
        var config = DatasetConfigLoader.Parse(SmallConfig + "\nsplits: {folds: 2}");
        var result = DatasetBuilder.Build(new DatasetSource([a, b], new Dictionary<string, string>()), config, TestData.TempDirectory());
        var m = result.Metadata;
        var reader = DatasetReader.Open(result.Directory);
        var tables = new[] { a, b }.Select(bars => FeatureEngine.Compute(bars, config.EngineOptions())).ToArray();
        static long[] Bits(IEnumerable<double> xs) => xs.Select(BitConverter.DoubleToInt64Bits).ToArray();

        // sequence.parquet: both symbols' tables, one after the other.
        var seq = reader.ReadSequence();
        for (var c = 0; c < m.SequenceFeatures.Count; c++)
            Assert.Equal(Bits(tables.SelectMany(t => t.Column(m.SequenceFeatures[c]))), Bits(seq[c]));

        foreach (var split in m.Splits)
        {
            var data = reader.ReadSplit(split.Name);
            Assert.True(data.Rows > 0, split.Name);
            var symbols = data.Symbol;
            foreach (var name in m.SnapshotFeatures)
            {
                var expected = data.SeqRow.Select((row, k) =>
                {
                    var s = symbols[k] == "SYN" ? 0 : 1;
                    return tables[s].Column(name)[row - m.SymbolInfo[s].SeqRowStart];
                });
                Assert.Equal(Bits(expected), Bits(data.Double(name)));
            }
            // The label balance is the mean of the split's label columns as Enumerable.Average takes it.
            var balance = split.LabelBalance;
            Assert.Equal(Bits([data.Int("y_direction").Average(), data.Int("y_early_move").Average(), data.Double("y_quality").Average(),
                data.Double("mae_atr").Average(), data.Double("mfe_atr").Average()]),
                Bits([balance.DirectionPositiveRate, balance.EarlyMovePositiveRate, balance.QualityMean, balance.MaeMean, balance.MfeMean]));
        }
        Assert.Equal(2, m.SplitPlan.Folds.Count);
        Assert.Contains(reader.ReadSplit("train").Symbol, x => x == "SYN2");

        // Scalers of every training set: snapshot scalers from the split's rows in file order, sequence
        // scalers from the sequence rows up to the last training decision bar.
        foreach (var (group, split) in new[] { ("train", "train"), ("fold_1", "fold_1_train"), ("fold_2", "fold_2_train") })
        {
            var data = reader.ReadSplit(split);
            var rows = Enumerable.Range(0, (int)data.Rows).ToArray();
            var snap = StandardScaler.Fit(m.SnapshotFeatures, m.SnapshotFeatures.Select(data.Double).ToList(), rows);
            Assert.Equal(Bits(snap.Mean), Bits(m.Scalers[group].Snapshot.Mean));
            Assert.Equal(Bits(snap.Std), Bits(m.Scalers[group].Snapshot.Std));
            var last = data.Timestamp.Max();
            var seqTime = new[] { a, b }.SelectMany(x => x.Time).ToArray();
            var seqRows = Enumerable.Range(0, seqTime.Length).Where(r => seqTime[r] <= last).ToArray();
            var sequence = StandardScaler.Fit(m.SequenceFeatures, seq, seqRows);
            Assert.Equal(Bits(sequence.Mean), Bits(m.Scalers[group].Sequence.Mean));
            Assert.Equal(Bits(sequence.Std), Bits(m.Scalers[group].Sequence.Std));
        }
        Assert.NotEqual(m.Scalers["train"].Snapshot.Mean, m.Scalers["fold_1"].Snapshot.Mean);
        Assert.False(Directory.Exists(Path.Combine(result.Directory, "spill")));
    }

    [Fact]
    public void Build_FailsAfterTheFeatureStage_LeavesNoTemporaryDirectoryOrSpill()
    {
        var bars = SyntheticBars.RandomWalk(4000);
        var first = DateTime.UnixEpoch.AddSeconds(bars.Time[0]);
        // Validation starts at the first bar: the training split is empty, found only after features and labels.
        var config = DatasetConfigLoader.Parse(SmallConfig + $"\nsplits: {{method: dates, val_start: {first:yyyy-MM-ddTHH:mm:ssZ}, test_start: {first.AddDays(7):yyyy-MM-ddTHH:mm:ssZ}}}");
        var root = TestData.TempDirectory();
        var e = Assert.Throws<ConfigException>(() => DatasetBuilder.Build(Source(bars), config, root));
        Assert.Contains(e.Problems, p => p.Contains("training split is empty"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }
}
