using Kairos.Deep.Runs;
using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Errors;
using Kairos.Snapshots;
using Kairos.Tests;

namespace Kairos.Deep.Tests.Hybrid;

public class HybridDatasetLoaderTests
{
    private static readonly string Config = SmallRealData.DatasetYaml();

    private static readonly Lazy<string> RealDataset = new(() =>
    {
        return SmallRealData.EurusdDataset(Config);
    });

    /// <summary>A copy of the real dataset with tree-signal columns added, as the trees stage's enriched copy has them.</summary>
    private static string EnrichedCopy(Func<string, int, double>? signal = null, Action<string, DatasetSplit, List<KeyValuePair<string, Array>>>? edit = null)
    {
        signal ??= (column, row) => column == "margin" ? (row % 7 - 3) * 0.4 : 0.3 + 0.4 * ((row * 37 % 101) / 101.0);
        var target = TestData.TempDirectory("kairos-hybrid-enriched");
        var source = DatasetReader.Open(RealDataset.Value);
        foreach (var file in Directory.GetFiles(RealDataset.Value)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var split in source.Metadata.Splits)
        {
            var data = source.ReadSplit(split.Name);
            var columns = data.Columns.ToList();
            foreach (var name in new[] { "p_hat", "margin", "p_cal", "entropy", "uncertainty_score" })
                columns.Add(new(name, Enumerable.Range(0, data.Rows).Select(i => signal(name, i)).ToArray()));
            edit?.Invoke(split.Name, data, columns);
            ParquetColumns.Write(Path.Combine(target, split.File), columns);
        }
        var metaPath = Path.Combine(target, DatasetReader.MetadataFile);
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        meta["calibration_applied"] = true;
        meta["signal_columns"] = new JsonArray("p_hat", "margin", "p_cal", "entropy", "uncertainty_score");
        File.WriteAllText(metaPath, meta.ToJsonString());
        return target;
    }

    [Fact]
    public void Load_RealDatasetWithoutTreeSignals_BuildsEveryInputTensorOnce()
    {
        var meta = DatasetReader.Open(RealDataset.Value).Metadata;

        using var data = HybridDatasetLoader.Load(RealDataset.Value, new HybridDatasetOptions { UseTreeSignals = false, DataSource = TrainingDataSource.Memory });

        var rows = meta.Split("train").Rows;
        var train = (HybridTensors)data.Train;
        Assert.Equal([rows, 12L, 4L], train.Sequence.shape);
        Assert.Equal([rows, 6L], train.Snapshot.shape);
        Assert.Equal([rows, (long)meta.ContextCategorical.Count], train.ContextCategorical.shape);
        Assert.Equal([rows, (long)meta.ContextContinuous.Count], train.ContextContinuous.shape);
        Assert.Null(train.TreeSignals);
        Assert.Equal(meta.Split("val").Rows, data.Validation!.Count);
        Assert.Equal(meta.Split("train").LabelBalance.DirectionPositiveRate, data.Train.DirectionMean(), 6);
        Assert.Equal(meta.FeatureContractHash, data.Info.FeatureContractHash);
        Assert.Equal(meta.Eligibility.Rate, data.Info.EligibilityRate);
        Assert.Equal([4, 3, 4, 4, 3], data.Info.ContextCardinalities.Take(5));
        Assert.Empty(data.Info.TreeSignals);
        Assert.Equal(data.Schema.ContextCardinalities.Count, meta.ContextCategorical.Count);
    }

    [Fact]
    public void Load_CalibrationRequiredOnUnenrichedDataset_RefusesNamingWhatIsMissing()
    {
        var e = Assert.Throws<DataException>(() => HybridDatasetLoader.Load(RealDataset.Value, new HybridDatasetOptions()));

        Assert.Equal("calibrated-tree-signals-required", e.Rule);
        Assert.Contains("calibration_applied is not true", e.Message);
        Assert.Contains("signal_columns lacks p_cal, margin, p_hat, uncertainty_score", e.Message);
        Assert.Contains("val.parquet lacks column(s) p_cal, margin, p_hat, uncertainty_score", e.Message);
        Assert.Contains("--no-tree-signals", e.Message);
    }

    [Fact]
    public void Load_EnrichedDataset_ReadsTreeSignalsInModelOrder()
    {
        var dir = EnrichedCopy();

        using var data = HybridDatasetLoader.Load(dir, new HybridDatasetOptions { DataSource = TrainingDataSource.Memory });

        var signals = ((HybridTensors)data.Train).TreeSignals!;
        Assert.Equal([data.Train.Count, 4L], signals.shape);
        Assert.Equal(["p_cal", "margin", "p_hat", "uncertainty_score"], data.Info.TreeSignals);
        Assert.True(data.Info.CalibrationApplied);
        Assert.Equal((float)((5 % 7 - 3) * 0.4), signals[5, 1].item<float>(), 6);
        Assert.Equal((float)(0.3 + 0.4 * (5 * 37 % 101 / 101.0)), signals[5, 0].item<float>(), 6);
    }

    [Theory]
    [InlineData(TrainingDataSource.Memory)]
    [InlineData(TrainingDataSource.Disk)]
    public void Load_EnrichedDatasetWithNaNSignal_RefusesNamingRowAndColumn(TrainingDataSource source)
    {
        var dir = EnrichedCopy(signal: (column, row) => column == "p_cal" && row == 41 ? double.NaN : 0.5);
        var cache = TestData.TempDirectory("kairos-hybrid-cache");

        var e = Assert.Throws<DataException>(() => HybridDatasetLoader.Load(dir, new HybridDatasetOptions { DataSource = source, CacheDirectory = cache }));

        Assert.Equal("non-finite-signal", e.Rule);
        Assert.Equal(42, e.Line);
        Assert.Equal("p_cal", e.Column);
        Assert.EndsWith("train.parquet", e.File);
        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    [Theory]
    [InlineData(TrainingDataSource.Memory)]
    [InlineData(TrainingDataSource.Disk)]
    public void Load_CategoryOutsideContract_RefusesNamingRowAndColumn(TrainingDataSource source)
    {
        var dir = EnrichedCopy(edit: (split, data, columns) =>
        {
            if (split != "val") return;
            var session = (int[])data.Int("session_id").Clone();
            session[9] = 7;
            var at = columns.FindIndex(c => c.Key == "session_id");
            columns[at] = new("session_id", session);
        });

        var cache = TestData.TempDirectory("kairos-hybrid-cache");

        var e = Assert.Throws<DataException>(() => HybridDatasetLoader.Load(dir, new HybridDatasetOptions { DataSource = source, CacheDirectory = cache }));

        Assert.Equal("category-out-of-range", e.Rule);
        Assert.Equal(10, e.Line);
        Assert.Equal("session_id", e.Column);
        Assert.EndsWith("val.parquet", e.File);
        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    [Fact]
    public void Load_UnknownSplit_RefusesListingTheDatasetsSplits()
    {
        var e = Assert.Throws<DataException>(() => HybridDatasetLoader.Load(RealDataset.Value, new HybridDatasetOptions { UseTreeSignals = false, ValidationSplit = "holdout" }));

        Assert.Equal("split-missing", e.Rule);
        Assert.Contains("'holdout'", e.Message);
        Assert.Contains("train, val, test", e.Message);
    }

    [Fact]
    public void Load_FoldTrainingWithDefaultPredictionSplits_RefusesTheOtherScalerGroup()
    {
        var all = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        const int n = 12_000;
        var bars = new BarSeries(all.Symbol, all.BarSize, all.Time[..n], all.Open[..n], all.High[..n], all.Low[..n], all.Close[..n], all.Volume[..n], all.Spread![..n]);
        var dataset = DatasetBuilder.Build(new DatasetSource([bars], new Dictionary<string, string>()), DatasetConfigLoader.Parse(Config + "\nsplits: {folds: 2}\n"),
            Path.Combine(TestData.TempDirectory("kairos-hybrid-folds"), "datasets")).Directory;
        var folds = new HybridDatasetOptions { UseTreeSignals = false, TrainSplit = "fold_1_train", ValidationSplit = "fold_1_val" };

        var e = Assert.Throws<DataException>(() => HybridDatasetLoader.Load(dataset, folds));
        using var data = HybridDatasetLoader.Load(dataset, folds with { PredictionSplits = ["fold_1_val"] });

        Assert.Equal("scaler-group-mismatch", e.Rule);
        Assert.Contains("'val' (scalers 'train')", e.Message);
        Assert.Contains("'test' (scalers 'train')", e.Message);
        Assert.Contains("(scalers 'fold_1')", e.Message);
        Assert.Equal("fold_1", data.Info.ScalerGroup);
        Assert.Equal(["fold_1_val"], data.PredictionSplits);
    }
}
