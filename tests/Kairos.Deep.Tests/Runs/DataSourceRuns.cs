using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Runs;

/// <summary>The checks every test of a trainer's <c>memory</c> run against its <c>disk</c> run makes, written once.</summary>
internal static class DataSourceRuns
{
    /// <summary>
    /// <c>batch_source</c> recorded; the same train and validation losses every epoch (and training moved them); <paramref name="files"/>
    /// byte for byte; the disk run's first log line saying <c>| data disk</c>; no cache left under <paramref name="root"/>.
    /// </summary>
    public static void AssertSame((TrainingMetrics Metrics, string Directory) memory, (TrainingMetrics Metrics, string Directory) disk, string root, params string[] files)
    {
        Assert.Equal("memory", memory.Metrics.BatchSource);
        Assert.Equal("disk", disk.Metrics.BatchSource);
        Assert.Equal(memory.Metrics.Epochs.Select(e => e.TrainLoss), disk.Metrics.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(memory.Metrics.Epochs.Select(e => e.ValidationLoss), disk.Metrics.Epochs.Select(e => e.ValidationLoss));
        Assert.NotEqual(memory.Metrics.Epochs[0].TrainLoss, memory.Metrics.Epochs[^1].TrainLoss);
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(memory.Directory, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(disk.Directory, file))), $"{file} differs");
        Assert.Contains(File.ReadAllLines(Path.Combine(disk.Directory, "training.log")), l => l.EndsWith("| data disk", StringComparison.Ordinal));
        Assert.Empty(Directory.GetDirectories(root, ".tmp-batch-cache-*"));
    }

    /// <summary>
    /// Every training row, in the order of a block-permuted epoch and cut in 997-row batches, and the last 50 validation
    /// rows read alike from the memory and the disk source (<paramref name="assertSame"/> compares two batches value for value).
    /// </summary>
    public static void AssertSameRows<TSource, TBatch>((TSource Train, TSource Validation) memory, (TSource Train, TSource Validation) disk, Action<TBatch, TBatch> assertSame)
        where TSource : IBatchSource<TSource, TBatch>
    {
        var order = BlockPermutation.Order(memory.Train.Count, seed: 3, epoch: 1, blockRows: 100, groupBlocks: 7);
        for (var start = 0; start < order.Length; start += 997)
        {
            using var scope = NewDisposeScope();
            var rows = order.AsSpan(start, Math.Min(997, order.Length - start));
            assertSame(memory.Train.Select(rows), disk.Train.Select(rows));
        }
        var last = disk.Validation.Count - 1;
        using (NewDisposeScope())
            assertSame(memory.Validation.Slice(last - 49, 50), disk.Validation.Slice(last - 49, 50));
    }

    /// <summary>A predictor's probabilities of a split from tensors (<paramref name="predict"/> before <paramref name="useDisk"/>) equal those from its disk cache, which is then gone.</summary>
    public static void AssertSameScoresFromDisk(Func<double[]> predict, Action<string> useDisk, string cache)
    {
        var fromTensors = predict();
        useDisk(cache);
        Assert.Equal(fromTensors, predict());
        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }
}
