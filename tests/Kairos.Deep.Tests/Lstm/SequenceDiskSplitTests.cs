using Kairos.Datasets;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Deep.Tests.Runs;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Tests;
using ParquetSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Lstm;

/// <summary>The sequence models' <c>disk</c> batch source against the <c>memory</c> one on the small real EURUSD dataset of relative features.</summary>
public class SequenceDiskSplitTests
{
    /// <summary>The 11 relative features in the dataset's order (the whole sequence file), and three of them in another order (a column subset).</summary>
    public static TheoryData<string> Selections => new() { "rel", "rel_z_close,rel_ret_open,rel_body" };

    private static SequenceDatasetOptions Options(TrainingDataSource source, string cache, string features = "rel", IReadOnlyList<string>? predictionSplits = null) => new()
    {
        Features = SequenceDatasetLoader.ResolveFeatures(LstmTestRuns.RealDataset, features), DataSource = source, CacheDirectory = cache,
        PredictionSplits = predictionSplits ?? [],
    };

    private static SequenceTrainingData Load(TrainingDataSource source, string cache, string features = "rel", IReadOnlyList<string>? predictionSplits = null) =>
        SequenceDatasetLoader.Load(LstmTestRuns.RealDataset, Options(source, cache, features, predictionSplits));

    [Theory]
    [MemberData(nameof(Selections))]
    public void Select_BlockPermutedRowsAndValidationSlices_EqualTheTensorsValueForValueAndDisposeRemovesTheCache(string features)
    {
        var cache = TestData.TempDirectory("kairos-seq-cache");
        using var memory = Load(TrainingDataSource.Memory, cache, features);
        var disk = Load(TrainingDataSource.Disk, cache, features);
        var written = Directory.GetDirectories(cache, ".tmp-batch-cache-*").Single();
        var group = DatasetReader.Open(LstmTestRuns.RealDataset).Metadata.Split("train").ScalerGroup;
        Assert.Equal(["train.windows", "val.windows", features == "rel" ? $"sequence-{group}.f32" : $"sequence-{group}-10-0-4.f32"],
            Directory.GetFiles(written).Select(f => Path.GetFileName(f)).OrderBy(f => f.EndsWith(".f32", StringComparison.Ordinal)).ThenBy(f => f, StringComparer.Ordinal));

        Assert.Equal("memory", memory.Train.SourceKind);
        Assert.Equal("disk", disk.Train.SourceKind);
        Assert.Equal((memory.Train.Count, memory.Train.Length, memory.Train.Features), (disk.Train.Count, disk.Train.Length, disk.Train.Features));
        Assert.Equal(memory.Validation!.Count, disk.Validation!.Count);
        Assert.Equal(features == "rel" ? 11 : 3, disk.Train.Features);
        DataSourceRuns.AssertSameRows<ISequenceBatchSource, SequenceBatch>((memory.Train, memory.Validation!), (disk.Train, disk.Validation!), AssertSameBatch);
        Assert.Equal(memory.Train.DirectionMean(), disk.Train.DirectionMean());
        Assert.Equal(DatasetReader.Open(LstmTestRuns.RealDataset).Metadata.Split("train").LabelBalance.DirectionPositiveRate, disk.Train.DirectionMean(), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => disk.Train.Head(10).Select([3, 10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => disk.Validation.Select([-1]));

        disk.Dispose();

        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    /// <summary>
    /// The shared epoch loop visits the epoch's block permutation: every step's batch from disk is, value for value, the
    /// tensors' rows at the next <c>batch_size</c> positions of <see cref="BlockPermutation.Order"/>, and the row-weighted tally
    /// of each batch's label mean is the split's label mean (a row read twice or missed would move it).
    /// </summary>
    [Fact]
    public void TrainEpoch_DiskSource_EveryBatchIsTheNextRowsOfTheBlockPermutation()
    {
        var cache = TestData.TempDirectory("kairos-seq-cache");
        using var memory = Load(TrainingDataSource.Memory, cache);
        using var disk = Load(TrainingDataSource.Disk, cache);
        var o = new SequenceTrainingOptions { Seed = 5, Epochs = 3, BatchSize = 97, LogEvery = 0 };
        var order = BlockPermutation.Order(disk.Train.Count, o.Seed, epoch: 2);
        var steps = SequenceRunLoop.StepsOver(disk.Train.Count, o.BatchSize);
        var seen = 0L;
        using var log = new TrainingLog(Path.Combine(cache, "epoch.log"), null, TimeProvider.System);
        var text = new WindowEpoch.LossText(m => new HeadLosses(null, null, null, null, m[0]), v => "", "windows/s");

        var pass = WindowEpoch.Train(disk.Train, o, epoch: 2, globalStep: 0, steps, new LearningRateSchedule(1e-3, 0, steps, 0.1), (batch, step, at, lr) =>
        {
            var rows = order.AsSpan((step - 1) * o.BatchSize, (int)batch.Count);
            AssertSameBatch(memory.Train.Select(rows), batch);
            seen += batch.Count;
            return new WindowEpoch.StepResult([batch.Direction.to(ScalarType.Float64).mean().item<double>()], 0);
        }, text, log, NullProgressSink.Instance, TimeProvider.System, CancellationToken.None);

        Assert.Equal(disk.Train.Count, seen);
        Assert.Equal(steps, pass.Steps);
        Assert.Equal(memory.Train.DirectionMean(), pass.Loss.Total, 12);
    }

    [Fact]
    public void Resolve_Auto_DiskOnlyWhenTheWindowsExceedAQuarterOfTheMemory()
    {
        var reader = DatasetReader.Open(LstmTestRuns.RealDataset);
        var auto = new SequenceDatasetOptions();
        var meta = reader.Metadata;
        var windows = (meta.Split("train").Rows + meta.Split("val").Rows) * (long)meta.SeqLen * 11 * sizeof(float);

        Assert.Equal(TrainingDataSource.Memory, SequenceDatasetLoader.Resolve(auto, reader, 11, availableBytes: 100 * windows));
        Assert.Equal(TrainingDataSource.Disk, SequenceDatasetLoader.Resolve(auto, reader, 11, availableBytes: 3 * windows));
        Assert.Equal(TrainingDataSource.Memory, SequenceDatasetLoader.Resolve(auto with { DataSource = TrainingDataSource.Memory }, reader, 11, availableBytes: 1));
        Assert.Equal(TrainingDataSource.Disk, SequenceDatasetLoader.Resolve(auto with { DataSource = TrainingDataSource.Disk }, reader, 11, availableBytes: long.MaxValue));
    }

    /// <summary>A validation label of 2 at row 6: both sources refuse it naming file, row, column and rule, and the disk source leaves no cache.</summary>
    [Theory]
    [InlineData(TrainingDataSource.Memory)]
    [InlineData(TrainingDataSource.Disk)]
    public void Load_NonBinaryLabel_DataExceptionNamingFileRowAndRuleAndNoCacheLeft(TrainingDataSource source)
    {
        var root = TestData.TempDirectory("kairos-seq-bad");
        var dataset = Path.Combine(root, "dataset");
        Directory.CreateDirectory(dataset);
        foreach (var file in Directory.GetFiles(LstmTestRuns.RealDataset)) File.Copy(file, Path.Combine(dataset, Path.GetFileName(file)));
        var reader = DatasetReader.Open(dataset);
        var valFile = Path.Combine(dataset, reader.Metadata.Split("val").File);
        var val = reader.ReadSplit("val", ["timestamp", "seq_row", "y_direction"]);
        var labels = val.Int("y_direction").ToArray();
        labels[5] = 2;
        File.Delete(valFile);
        using (var writer = new ParquetFileWriter(valFile, [new Column<long>("timestamp"), new Column<long>("seq_row"), new Column<int>("y_direction")]))
        {
            using var group = writer.AppendRowGroup();
            using (var w = group.NextColumn().LogicalWriter<long>()) w.WriteBatch(val.Timestamp);
            using (var w = group.NextColumn().LogicalWriter<long>()) w.WriteBatch(val.SeqRow);
            using (var w = group.NextColumn().LogicalWriter<int>()) w.WriteBatch(labels);
            writer.Close();
        }
        var cache = Path.Combine(root, "cache");
        Directory.CreateDirectory(cache);

        var e = Assert.Throws<DataException>(() => SequenceDatasetLoader.Load(dataset,
            new SequenceDatasetOptions { Features = SequenceDatasetLoader.ResolveFeatures(dataset, "rel"), DataSource = source, CacheDirectory = cache }));

        Assert.Equal("label-not-binary", e.Rule);
        Assert.Equal("y_direction", e.Column);
        Assert.Equal(6, e.Line);
        Assert.Equal(Path.GetFullPath(valFile), Path.GetFullPath(e.File));
        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    [Fact]
    public void TrainLstm_MemoryAndDiskOnOneThread_IdenticalLossesWeightsAndPredictions()
    {
        var root = TestData.TempDirectory("kairos-seq-train");
        var options = LstmTestRuns.Classifier(epochs: 2, augment: true, limit: 1_200) with
        {
            Training = LstmTestRuns.Training(2, batch: 64, limit: 1_200) with { WarmupFraction = 0.1 },
        };
        LstmTrainingResult Train(TrainingDataSource source)
        {
            using var data = Load(source, root, predictionSplits: ["val", "test"]);
            return new LstmTrainer(options, TimeProvider.System).Train(data, null, RunDirectory.Open(Path.Combine(root, source.Text()), false), false);
        }

        var memory = Train(TrainingDataSource.Memory);
        var disk = Train(TrainingDataSource.Disk);

        DataSourceRuns.AssertSame((memory.Metrics, memory.RunDirectory), (disk.Metrics, disk.RunDirectory), root, "model.bin", "predictions_val.csv", "predictions_test.csv");
        Assert.Equal(memory.Metrics.Epochs.Select(e => e.DirectionLabelMean), disk.Metrics.Epochs.Select(e => e.DirectionLabelMean));
        Assert.Equal(memory.Model.Validation, disk.Model.Validation);
        using var predictor = LstmPredictor.Open(disk.RunDirectory);
        DataSourceRuns.AssertSameScoresFromDisk(() => predictor.PredictSplit(LstmTestRuns.RealDataset, "test").Probabilities, d => predictor.DiskCacheDirectory = d,
            Path.Combine(root, "scoring-cache"));
    }

    [Theory]
    [InlineData(PretrainingMethod.Masked)]
    [InlineData(PretrainingMethod.Ts2Vec)]
    public void Pretrain_MemoryAndDiskOnOneThread_IdenticalLossesAndEncoder(PretrainingMethod method)
    {
        var root = TestData.TempDirectory("kairos-seq-pretrain");
        var options = LstmTestRuns.Pretrain(epochs: 2, limit: 800) with { Method = method, Ts2Vec = new Ts2VecOptions { TemporalUnit = 1 } };
        PretrainingResult Train(TrainingDataSource source)
        {
            using var data = Load(source, root);
            return SequencePretrainer.Create(options, TimeProvider.System).Train(data, RunDirectory.Open(Path.Combine(root, source.Text()), false), false);
        }

        var memory = Train(TrainingDataSource.Memory);
        var disk = Train(TrainingDataSource.Disk);

        DataSourceRuns.AssertSame((memory.Metrics, memory.RunDirectory), (disk.Metrics, disk.RunDirectory), root, "model.bin", EncoderMetadata.WeightsFileName);
    }

    private static void AssertSameBatch(SequenceBatch expected, SequenceBatch actual)
    {
        foreach (var (name, e, a) in new[] { ("windows", expected.Windows, actual.Windows), ("y_direction", expected.Direction, actual.Direction) })
        {
            Assert.Equal(e.dtype, a.dtype);
            Assert.Equal(e.shape, a.shape);
            Assert.True(e.eq(a).all().item<bool>(), $"{name} differs");
        }
    }
}
