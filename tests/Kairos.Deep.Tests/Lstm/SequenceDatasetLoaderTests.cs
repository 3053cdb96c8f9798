using Kairos.Datasets;
using Kairos.Deep.Lstm;
using Kairos.Errors;
using Kairos.Snapshots;
using Kairos.Tests;

namespace Kairos.Deep.Tests.Lstm;

public class SequenceDatasetLoaderTests
{
    private const string FoldConfig = """
        warmup_bars: 50
        blocked_sessions: [ASIA]
        vol_regime: {window: 300, min_periods: 50}
        trend_regime: {ema_period: 50}
        seq_len: 12
        sequence_features: [rel_ret_open, rel_ret_high, rel_ret_low, rel_ret_close, rel_body, rel_upper_wick, rel_lower_wick, rel_z_open, rel_z_high, rel_z_low, rel_z_close]
        snapshot_features: [ret_1, ret_12]
        splits: {folds: 2}
        """;

    [Fact]
    public void Load_DefaultOptions_NoPredictionSplitsAndTrainScalerGroupRecorded()
    {
        using var data = SequenceDatasetLoader.Load(LstmTestRuns.RealDataset, new SequenceDatasetOptions());

        Assert.Empty(data.PredictionSplits);
        Assert.Equal(DatasetReader.Open(LstmTestRuns.RealDataset).Metadata.Split("train").ScalerGroup, data.Info.ScalerGroup);
    }

    [Fact]
    public void Load_PredictionSplitMissing_FailsNamingItAndTheSplitsThereAre()
    {
        var e = Assert.Throws<DataException>(() =>
            SequenceDatasetLoader.Load(LstmTestRuns.RealDataset, new SequenceDatasetOptions { PredictionSplits = ["val", "holdout"] }));

        Assert.Equal("split-missing", e.Rule);
        Assert.Equal(Path.Combine(LstmTestRuns.RealDataset, DatasetReader.MetadataFile), e.File);
        Assert.Contains("'holdout'", e.Message);
        Assert.Contains("train, val, test", e.Message);
    }

    [Fact]
    public void Load_FoldTrainingWithValTestPredictionSplits_RefusesTheOtherScalerGroup()
    {
        var all = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        const int n = 12_000;
        var bars = new BarSeries(all.Symbol, all.BarSize, all.Time[..n], all.Open[..n], all.High[..n], all.Low[..n], all.Close[..n], all.Volume[..n], all.Spread![..n]);
        var dataset = DatasetBuilder.Build(new DatasetSource([bars], new Dictionary<string, string>()), DatasetConfigLoader.Parse(FoldConfig),
            Path.Combine(TestData.TempDirectory("kairos-lstm-folds"), "datasets")).Directory;
        var folds = new SequenceDatasetOptions { TrainSplit = "fold_1_train", ValidationSplit = "fold_1_val", PredictionSplits = ["val", "test"] };

        var e = Assert.Throws<DataException>(() => SequenceDatasetLoader.Load(dataset, folds));
        using var data = SequenceDatasetLoader.Load(dataset, folds with { PredictionSplits = ["fold_1_val"] });

        Assert.Equal("scaler-group-mismatch", e.Rule);
        Assert.Contains("'val' (scalers 'train')", e.Message);
        Assert.Contains("'test' (scalers 'train')", e.Message);
        Assert.Contains("(scalers 'fold_1')", e.Message);
        Assert.Equal("fold_1", data.Info.ScalerGroup);
        Assert.Equal(["fold_1_val"], data.PredictionSplits);
    }
}
