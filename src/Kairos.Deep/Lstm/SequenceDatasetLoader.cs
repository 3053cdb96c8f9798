using Kairos.Datasets;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Kairos.Features;
using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Reads a dataset directory into <see cref="SequenceTrainingData"/>: the scaled windows of the requested
/// sequence features and <c>y_direction</c>, per split, as tensors (the <c>memory</c> source) or as a cache read per batch
/// (the <c>disk</c> source, <see cref="SequenceDiskSplit"/>). Checks, before reading any split, that the dataset
/// has the splits and the features (by default the 11 <c>rel_*</c> features of the relative transform).
/// </summary>
public static class SequenceDatasetLoader
{
    public static SequenceTrainingData Load(string directory, SequenceDatasetOptions options)
    {
        if (!Directory.Exists(directory))
            throw new DataException(directory, "dataset-missing", "the dataset directory does not exist (pass the directory `kairos dataset build` wrote)");
        var reader = DatasetReader.Open(directory);
        var meta = reader.Metadata;
        var metaFile = Path.Combine(directory, DatasetReader.MetadataFile);
        DatasetSplitChecks.RequireSplits(reader, new[] { options.TrainSplit, options.ValidationSplit }.OfType<string>().Concat(options.PredictionSplits).Distinct().ToList());
        var scalerGroup = DatasetSplitChecks.TrainingScalerGroup(meta, metaFile, options.TrainSplit, options.PredictionSplits);
        var columns = Columns(reader, options.Features);
        var scaler = reader.ScalersFor(options.TrainSplit).Sequence;
        var info = new SequenceDatasetInfo(meta.Id, Path.GetFullPath(directory), meta.FeatureContractHash, meta.Eligibility.Rate,
            options.Features.ToList(), meta.SeqLen, columns.Select(c => scaler.Mean[c]).ToList(), columns.Select(c => scaler.Std[c]).ToList())
        {
            ScalerGroup = scalerGroup,
            DatasetInputs = new DatasetInputNames(meta.SequenceFeatures, meta.SnapshotFeatures, meta.ContextCategorical, meta.ContextContinuous),
        };
        if (Resolve(options, reader, columns.Length, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) == TrainingDataSource.Disk)
            return DiskBatchCache.Fill(options.CacheDirectory ?? Path.GetTempPath(), cache => new SequenceTrainingData(
                SequenceDiskSplit.Write(cache, reader, options.TrainSplit, columns),
                options.ValidationSplit is null ? null : SequenceDiskSplit.Write(cache, reader, options.ValidationSplit, columns), info, options.PredictionSplits, cache));
        var train = Split(reader, options.TrainSplit, columns);
        try
        {
            var validation = options.ValidationSplit is null ? null : Split(reader, options.ValidationSplit, columns);
            return new SequenceTrainingData(train, validation, info, options.PredictionSplits);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <see cref="TrainingDataSource.Memory"/> or <see cref="TrainingDataSource.Disk"/>: <c>auto</c> is disk when the training and
    /// validation windows (<c>L x F</c> float32 and a label per sample), the dataset's whole scaled sequence and the raw
    /// columns read to build them would exceed <see cref="TrainingDataSourceText.AutoMemoryFraction"/> of <paramref name="availableBytes"/>.
    /// </summary>
    public static TrainingDataSource Resolve(SequenceDatasetOptions options, DatasetReader reader, int features, long availableBytes)
    {
        var meta = reader.Metadata;
        var samples = meta.Split(options.TrainSplit).Rows + (options.ValidationSplit is { } v ? meta.Split(v).Rows : 0);
        var estimate = samples * ((long)meta.SeqLen * (meta.SequenceFeatures.Count + features) * sizeof(float) + sizeof(float) + 2 * sizeof(long))
                       + meta.Sequence.Rows * (long)meta.SequenceFeatures.Count * (sizeof(double) + sizeof(float));
        return options.DataSource.Resolve(estimate, availableBytes);
    }

    /// <summary>
    /// The features a <c>--features</c> value names over the dataset at <paramref name="directory"/>: <c>rel</c> (the 11
    /// relative-transform features, the default), <c>all</c> (every sequence feature of the dataset, in its order: what a
    /// bundle's feature pipeline builds) or a comma-separated list. Whether the dataset has them is checked when it is loaded.
    /// </summary>
    public static IReadOnlyList<string> ResolveFeatures(string directory, string selection)
    {
        if (selection == "rel") return RelativeTransform.FeatureNames;
        if (selection == "all")
        {
            if (!Directory.Exists(directory))
                throw new DataException(directory, "dataset-missing", "the dataset directory does not exist (pass the directory `kairos dataset build` wrote)");
            return DatasetReader.Open(directory).Metadata.SequenceFeatures;
        }
        return selection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// The windows of <paramref name="features"/> and the labels of one whole split of <paramref name="reader"/>'s dataset,
    /// after the same checks as <see cref="Load"/> (split present, features among the dataset's <c>sequence_features</c>):
    /// tensors, or with <paramref name="diskCacheDirectory"/> a <c>disk</c> split that deletes its cache when disposed.
    /// </summary>
    internal static ISequenceBatchSource LoadSplit(DatasetReader reader, string split, IReadOnlyList<string> features, string? diskCacheDirectory = null)
    {
        DatasetSplitChecks.RequireSplits(reader, [split]);
        var columns = Columns(reader, features);
        return diskCacheDirectory is null
            ? Split(reader, split, columns)
            : DiskBatchCache.Fill(diskCacheDirectory, cache => SequenceDiskSplit.Write(cache, reader, split, columns).OwningCache(cache));
    }

    /// <summary>The index of each of <paramref name="features"/> among the dataset's sequence features.</summary>
    private static int[] Columns(DatasetReader reader, IReadOnlyList<string> features)
    {
        var sequence = reader.Metadata.SequenceFeatures.ToList();
        var missing = features.Where(f => !sequence.Contains(f)).ToList();
        if (missing.Count > 0)
            throw new DataException(Path.Combine(reader.Directory, DatasetReader.MetadataFile), null, "sequence_features", "sequence-features-missing",
                $"the dataset's sequence_features lack {string.Join(", ", missing)}; build the dataset with them " +
                "(sequence_features: [rel_ret_open, rel_ret_high, rel_ret_low, rel_ret_close, rel_body, rel_upper_wick, rel_lower_wick, " +
                "rel_z_open, rel_z_high, rel_z_low, rel_z_close], see docs/pretraining.md)");
        return features.Select(f => sequence.IndexOf(f)).ToArray();
    }

    private static SequenceTensors Split(DatasetReader reader, string name, int[] columns)
    {
        var file = Path.Combine(reader.Directory, reader.Metadata.Split(name).File);
        var split = reader.ReadSplit(name, ["timestamp", "seq_row", "y_direction"]);
        if (!split.Has("y_direction")) throw new DataException(file, null, "y_direction", "column-missing", "the split has no y_direction column");
        var labels = split.Int("y_direction");
        var y = new float[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
                throw new DataException(file, i + 1, "y_direction", "label-not-binary", $"y_direction is {labels[i]}, expected 0 or 1");
            y[i] = labels[i];
        }
        var windows = reader.BuildWindows(split);
        using var scope = NewDisposeScope();
        var all = tensor(windows.Data, windows.Shape.Select(s => (long)s).ToArray());
        var selected = columns.Length == windows.Shape[2] && columns.Select((c, i) => c == i).All(b => b)
            ? all
            : all.index_select(2, tensor(columns.Select(c => (long)c).ToArray())).contiguous();
        return new SequenceTensors(name, selected.MoveToOuterDisposeScope(), tensor(y).MoveToOuterDisposeScope());
    }
}
