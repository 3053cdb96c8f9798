using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Deep.Tft;
using Kairos.Deep.Tests.Runs;
using Kairos.Tests;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Hybrid;

/// <summary>The <c>disk</c> batch source against the <c>memory</c> one on the small real EURUSD dataset.</summary>
public class HybridDiskSplitTests
{
    private static readonly Lazy<string> RealDataset = new(() => SmallRealData.EurusdDataset(SmallRealData.DatasetYaml()));

    private static HybridTrainingData Load(TrainingDataSource source, string cache) =>
        HybridDatasetLoader.Load(RealDataset.Value, new HybridDatasetOptions { UseTreeSignals = false, DataSource = source, CacheDirectory = cache });

    private static readonly SequenceTrainingOptions OneThread = new()
    {
        Seed = 11, Epochs = 2, BatchSize = 64, EvalBatchSize = 200, LearningRate = 3e-3, LogEvery = 0, EarlyStoppingPatience = 0, Threads = 1, LimitSamples = 1_500,
    };

    [Fact]
    public void Select_BlockPermutedRowsOfEveryBatch_EqualTheTensorsValueForValue()
    {
        var cache = TestData.TempDirectory("kairos-disk-cache");
        using var memory = Load(TrainingDataSource.Memory, cache);
        using var disk = Load(TrainingDataSource.Disk, cache);

        Assert.Equal("disk", disk.Train.SourceKind);
        Assert.Equal(memory.Train.Count, disk.Train.Count);
        Assert.Equal(memory.Validation!.Count, disk.Validation!.Count);
        Assert.Equal(memory.Schema with { ContextCardinalities = disk.Schema.ContextCardinalities }, disk.Schema);
        DataSourceRuns.AssertSameRows<IHybridBatchSource, HybridBatch>((memory.Train, memory.Validation!), (disk.Train, disk.Validation!), AssertSameBatch);
        Assert.Equal(memory.Train.Standardization().ContextMean, disk.Train.Standardization().ContextMean);
        Assert.Equal(memory.Train.Standardization().ContextStd, disk.Train.Standardization().ContextStd);
        Assert.Equal(memory.Train.DirectionMean(), disk.Train.DirectionMean());
        var reader = DatasetReader.Open(RealDataset.Value);
        Assert.Equal(reader.Metadata.Split("train").LabelBalance.DirectionPositiveRate, disk.Train.DirectionMean(), 6);
    }

    [Fact]
    public void Resolve_Auto_DiskOnlyWhenTheTensorsExceedAQuarterOfTheMemory()
    {
        var cache = TestData.TempDirectory("kairos-disk-cache");
        using var memory = Load(TrainingDataSource.Memory, cache);
        var reader = DatasetReader.Open(RealDataset.Value);
        var auto = new HybridDatasetOptions { UseTreeSignals = false };
        var layout = new HybridRowLayout(12, 4, 6, memory.Info.ContextCategorical.Count, memory.Info.ContextContinuous.Count, 0);
        var tensors = (memory.Train.Count + memory.Validation!.Count) * layout.MemoryBytesPerSample;

        Assert.Equal(TrainingDataSource.Memory, HybridDatasetLoader.Resolve(auto, reader, memory.Info, availableBytes: 100 * tensors));
        Assert.Equal(TrainingDataSource.Disk, HybridDatasetLoader.Resolve(auto, reader, memory.Info, availableBytes: 3 * tensors));
        Assert.Equal(TrainingDataSource.Memory, HybridDatasetLoader.Resolve(auto with { DataSource = TrainingDataSource.Memory }, reader, memory.Info, availableBytes: 1));
        Assert.Equal(TrainingDataSource.Disk, HybridDatasetLoader.Resolve(auto with { DataSource = TrainingDataSource.Disk }, reader, memory.Info, availableBytes: long.MaxValue));
    }

    [Fact]
    public void Select_RowOutsideTheSplit_Throws()
    {
        var cache = TestData.TempDirectory("kairos-disk-cache");
        using var disk = Load(TrainingDataSource.Disk, cache);
        var head = disk.Train.Head(10);

        Assert.Throws<ArgumentOutOfRangeException>(() => head.Select([3, 10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => disk.Train.Select([-1]));
    }

    [Fact]
    public void Dispose_DiskData_RemovesTheCache()
    {
        var cache = TestData.TempDirectory("kairos-disk-cache");
        var disk = Load(TrainingDataSource.Disk, cache);
        var written = Directory.GetDirectories(cache, ".tmp-batch-cache-*").Single();
        Assert.True(File.Exists(Path.Combine(written, "train.rows")));

        disk.Dispose();

        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    [Fact]
    public void TrainHybrid_MemoryAndDiskOnOneThread_IdenticalLossesAndWeights()
    {
        var root = TestData.TempDirectory();
        var options = new HybridTrainerOptions
        {
            Training = OneThread,
            Model = new HybridModelOptions { DModel = 16, Heads = 2, Layers = 1, FeedForward = 32, SnapshotHidden = 16, SnapshotOut = 8, FusionHidden = 16, FusionOut = 8 },
        };
        HybridTrainingResult Train(TrainingDataSource source)
        {
            using var data = Load(source, root);
            return new HybridTrainer(options, TimeProvider.System).Train(data, RunDirectory.Open(Path.Combine(root, source.Text()), false), false, requireCalibration: false);
        }

        var memory = Train(TrainingDataSource.Memory);
        var disk = Train(TrainingDataSource.Disk);

        DataSourceRuns.AssertSame((memory.Metrics, memory.RunDirectory), (disk.Metrics, disk.RunDirectory), root, "model.bin", "predictions_val.csv", "predictions_test.csv");
        Assert.Equal(memory.Bundle.InputStandardization, disk.Bundle.InputStandardization, new StandardizationComparer());
        using var predictor = HybridPredictor.Open(disk.RunDirectory);
        DataSourceRuns.AssertSameScoresFromDisk(() => predictor.PredictSplit(RealDataset.Value, "test").Probabilities, d => predictor.DiskCacheDirectory = d,
            Path.Combine(root, "scoring-cache"));
    }

    [Fact]
    public void TrainTft_MemoryAndDiskOnOneThread_IdenticalWeights()
    {
        var root = TestData.TempDirectory();
        var options = new TftTrainerOptions { Training = OneThread with { Epochs = 1, LimitSamples = 600 }, Model = new TftModelOptions { Hidden = 16, Heads = 2 } };
        TftTrainingResult Train(TrainingDataSource source)
        {
            using var data = Load(source, root);
            return new TftTrainer(options, TimeProvider.System).Train(data, RunDirectory.Open(Path.Combine(root, source.Text()), false), false, requireCalibration: false);
        }

        var memory = Train(TrainingDataSource.Memory);
        var disk = Train(TrainingDataSource.Disk);

        Assert.Equal(memory.Metrics.Epochs.Select(e => e.TrainLoss), disk.Metrics.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(File.ReadAllBytes(Path.Combine(memory.RunDirectory, "model.bin")), File.ReadAllBytes(Path.Combine(disk.RunDirectory, "model.bin")));
        Assert.Equal(memory.Metrics.Interpretability!.AttentionByLag, disk.Metrics.Interpretability!.AttentionByLag);
        Assert.Equal(File.ReadAllBytes(Path.Combine(memory.RunDirectory, "predictions_test.csv")), File.ReadAllBytes(Path.Combine(disk.RunDirectory, "predictions_test.csv")));
        Assert.Empty(Directory.GetDirectories(root, ".tmp-batch-cache-*"));
    }

    private static void AssertSameBatch(HybridBatch expected, HybridBatch actual)
    {
        foreach (var (name, e, a) in new (string, Tensor?, Tensor?)[]
                 {
                     ("sequence", expected.Sequence, actual.Sequence), ("snapshot", expected.Snapshot, actual.Snapshot),
                     ("context_categorical", expected.ContextCategorical, actual.ContextCategorical), ("context_continuous", expected.ContextContinuous, actual.ContextContinuous),
                     ("tree_signals", expected.TreeSignals, actual.TreeSignals), ("y_direction", expected.Direction, actual.Direction),
                     ("y_early_move", expected.EarlyMove, actual.EarlyMove), ("y_quality", expected.Quality, actual.Quality), ("rows", expected.Rows, actual.Rows),
                 })
        {
            if (e is null) { Assert.Null(a); continue; }
            Assert.NotNull(a);
            Assert.Equal(e.dtype, a!.dtype);
            Assert.Equal(e.shape, a.shape);
            Assert.True(e.eq(a).all().item<bool>(), $"{name} differs");
        }
    }

    private sealed class StandardizationComparer : IEqualityComparer<InputStandardization>
    {
        public bool Equals(InputStandardization? x, InputStandardization? y) =>
            x!.ContextMean.SequenceEqual(y!.ContextMean) && x.ContextStd.SequenceEqual(y.ContextStd) && x.TreeMean.SequenceEqual(y.TreeMean) && x.TreeStd.SequenceEqual(y.TreeStd);

        public int GetHashCode(InputStandardization obj) => 0;
    }
}
