using Kairos.Deep.Runs;
using Kairos.Datasets;
using Kairos.Errors;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Reads a dataset directory into <see cref="HybridTrainingData"/>: every split's model inputs are built once
/// (scaled windows, snapshot matrix, context, tree signals, labels), as tensors (the <c>memory</c> source) or as a
/// column cache read per batch (the <c>disk</c> source, <see cref="HybridDiskCache"/>); nothing is computed per batch
/// afterwards. Checks, before any input is built, that the dataset carries what the model needs.
/// </summary>
public static class HybridDatasetLoader
{
    /// <summary>The share of the memory .NET may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>) above which <c>auto</c> reads from disk.</summary>
    public const double AutoMemoryFraction = TrainingDataSourceText.AutoMemoryFraction;

    public static HybridTrainingData Load(string directory, HybridDatasetOptions options)
    {
        var reader = DatasetReader.Open(directory);
        var meta = reader.Metadata;
        var metaFile = Path.Combine(directory, DatasetReader.MetadataFile);
        var splits = new[] { options.TrainSplit, options.ValidationSplit }.OfType<string>().Concat(options.PredictionSplits).Distinct().ToList();
        DatasetSplitChecks.RequireSplits(reader, splits);
        var scalerGroup = DatasetSplitChecks.TrainingScalerGroup(meta, metaFile, options.TrainSplit, options.PredictionSplits);
        if (options.UseTreeSignals)
            RequireCalibratedSignals(reader, metaFile, splits);

        var cardinalities = Cardinalities(meta, metaFile);
        var info = new HybridDatasetInfo(
            meta.Id, Path.GetFullPath(directory), meta.FeatureContractHash, meta.Eligibility.Rate,
            meta.SequenceFeatures, meta.SnapshotFeatures, meta.ContextCategorical, cardinalities, meta.ContextContinuous,
            options.UseTreeSignals ? HybridDatasetOptions.TreeSignalColumns : [], meta.CalibrationApplied, scalerGroup);
        var source = Resolve(options, reader, info);
        if (source == TrainingDataSource.Disk)
        {
            var cache = HybridDiskCache.Create(options.CacheDirectory ?? Path.GetTempPath());
            try
            {
                var trainOnDisk = cache.Split(reader, options.TrainSplit, cardinalities, options.UseTreeSignals);
                var validationOnDisk = options.ValidationSplit is null ? null : cache.Split(reader, options.ValidationSplit, cardinalities, options.UseTreeSignals);
                return new HybridTrainingData(trainOnDisk, validationOnDisk, info, options.PredictionSplits, cache);
            }
            catch
            {
                cache.Dispose();
                throw;
            }
        }
        var train = Split(reader, options.TrainSplit, cardinalities, options.UseTreeSignals);
        try
        {
            var validation = options.ValidationSplit is null ? null : Split(reader, options.ValidationSplit, cardinalities, options.UseTreeSignals);
            return new HybridTrainingData(train, validation, info, options.PredictionSplits);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <see cref="TrainingDataSource.Memory"/> or <see cref="TrainingDataSource.Disk"/>: <c>auto</c> is disk when the training and
    /// validation tensors (<see cref="HybridRowLayout.MemoryBytesPerSample"/> per sample, plus the scaled sequence and the
    /// raw columns read to build them) would exceed <see cref="AutoMemoryFraction"/> of the memory .NET may use.
    /// </summary>
    public static TrainingDataSource Resolve(HybridDatasetOptions options, DatasetReader reader, HybridDatasetInfo info) =>
        Resolve(options, reader, info, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary><see cref="Resolve(HybridDatasetOptions, DatasetReader, HybridDatasetInfo)"/> against <paramref name="availableBytes"/> of memory.</summary>
    public static TrainingDataSource Resolve(HybridDatasetOptions options, DatasetReader reader, HybridDatasetInfo info, long availableBytes)
    {
        var meta = reader.Metadata;
        var layout = new HybridRowLayout(meta.SeqLen, info.SequenceFeatures.Count, info.SnapshotFeatures.Count, info.ContextCategorical.Count,
            info.ContextContinuous.Count, info.TreeSignals.Count);
        var samples = meta.Split(options.TrainSplit).Rows + (options.ValidationSplit is { } v ? meta.Split(v).Rows : 0);
        var estimate = samples * (layout.MemoryBytesPerSample + (long)(layout.Floats + layout.Categorical) * sizeof(double))
                       + meta.Sequence.Rows * (long)layout.SequenceFeatures * (sizeof(double) + sizeof(float));
        return options.DataSource.Resolve(estimate, availableBytes);
    }

    /// <summary>
    /// One split of <paramref name="reader"/>'s dataset as model inputs, after the same checks as <see cref="Load"/>
    /// (split present, calibrated tree signals when <paramref name="useTreeSignals"/>, categories inside the contract):
    /// tensors, or with <paramref name="diskCacheDirectory"/> a <c>disk</c> split that deletes its cache when disposed.
    /// </summary>
    internal static IHybridBatchSource LoadSplit(DatasetReader reader, string split, bool useTreeSignals, string? diskCacheDirectory = null)
    {
        var metaFile = Path.Combine(reader.Directory, DatasetReader.MetadataFile);
        DatasetSplitChecks.RequireSplits(reader, [split]);
        if (useTreeSignals) RequireCalibratedSignals(reader, metaFile, [split]);
        var cardinalities = Cardinalities(reader.Metadata, metaFile);
        if (diskCacheDirectory is null) return Split(reader, split, cardinalities, useTreeSignals);
        var cache = HybridDiskCache.Create(diskCacheDirectory);
        try
        {
            return cache.Split(reader, split, cardinalities, useTreeSignals).OwningCache(cache);
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    private static void RequireCalibratedSignals(DatasetReader reader, string metaFile, IReadOnlyList<string> splits)
    {
        var missing = new List<string>();
        if (!reader.Metadata.CalibrationApplied) missing.Add("calibration_applied is not true");
        var absentFromMetadata = HybridDatasetOptions.TreeSignalColumns.Where(c => !reader.Metadata.SignalColumns.Contains(c)).ToList();
        if (absentFromMetadata.Count > 0) missing.Add($"signal_columns lacks {string.Join(", ", absentFromMetadata)}");
        foreach (var split in splits)
        {
            var file = reader.Metadata.Split(split).File;
            var columns = ColumnNames(Path.Combine(reader.Directory, file));
            var absent = HybridDatasetOptions.TreeSignalColumns.Where(c => !columns.Contains(c)).ToList();
            if (absent.Count > 0) missing.Add($"{file} lacks column(s) {string.Join(", ", absent)}");
        }
        if (missing.Count > 0)
            throw new DataException(metaFile, null, "calibration_applied", "calibrated-tree-signals-required",
                "training requires calibrated tree signals (p_cal, margin, p_hat, uncertainty_score) and this dataset is not the trees " +
                $"stage's enriched copy: {string.Join("; ", missing)}. Train the trees stage to get the enriched dataset, " +
                "or pass --no-tree-signals to train without the tree-signal branch.");
    }

    private static HashSet<string> ColumnNames(string parquetFile)
    {
        if (!File.Exists(parquetFile)) throw new DataException(parquetFile, "file-missing", "the split file does not exist");
        using var file = new ParquetSharp.ParquetFileReader(parquetFile);
        var schema = file.FileMetaData.Schema;
        return Enumerable.Range(0, schema.NumColumns).Select(c => schema.Column(c).Name).ToHashSet(StringComparer.Ordinal);
    }

    private static IReadOnlyList<int> Cardinalities(DatasetMetadata meta, string metaFile)
    {
        var declared = meta.FeatureContract["context_categorical"]?.AsArray()
            ?? throw new DataException(metaFile, null, "feature_contract.context_categorical", "contract-incomplete", "the feature contract lists no categorical context");
        var byName = declared.ToDictionary(n => n!["name"]!.GetValue<string>(), n => n!["cardinality"]!.GetValue<int>());
        return meta.ContextCategorical.Select(name => byName.TryGetValue(name, out var c) ? c
            : throw new DataException(metaFile, null, "feature_contract.context_categorical", "contract-incomplete",
                $"the feature contract has no cardinality for '{name}'")).ToList();
    }

    private static HybridTensors Split(DatasetReader reader, string name, IReadOnlyList<int> cardinalities, bool treeSignals)
    {
        var meta = reader.Metadata;
        var file = Path.Combine(reader.Directory, meta.Split(name).File);
        var split = reader.ReadSplit(name);
        var n = split.Rows;

        var categorical = reader.BuildContextCategorical(split);
        var c = meta.ContextCategorical.Count;
        for (var i = 0; i < categorical.Length; i++)
            if (categorical[i] < 0 || categorical[i] >= cardinalities[i % c])
                throw new DataException(file, i / c + 1, meta.ContextCategorical[i % c], "category-out-of-range",
                    $"value {categorical[i]} is outside [0, {cardinalities[i % c]}) declared by the feature contract");
        float[] Labels(string column)
        {
            if (!split.Has(column)) throw new DataException(file, null, column, "column-missing", $"the split has no {column} column");
            var values = split.Columns.First(k => k.Key == column).Value switch
            {
                int[] ints => ints.Select(v => (double)v).ToArray(),
                double[] doubles => doubles,
                var other => throw new DataException(file, null, column, "column-type", $"{column} is {other.GetType().Name}, expected INT32 or DOUBLE"),
            };
            var result = new float[n];
            for (var i = 0; i < n; i++)
            {
                if (!double.IsFinite(values[i]))
                    throw new DataException(file, i + 1, column, "non-finite-label", $"{column} is {values[i]}");
                result[i] = (float)values[i];
            }
            return result;
        }
        float[]? signals = null;
        if (treeSignals)
        {
            var k = HybridDatasetOptions.TreeSignalColumns.Count;
            signals = new float[(long)n * k];
            for (var j = 0; j < k; j++)
            {
                var column = HybridDatasetOptions.TreeSignalColumns[j];
                var values = split.Double(column);
                for (var i = 0; i < n; i++)
                {
                    if (!double.IsFinite(values[i]))
                        throw new DataException(file, i + 1, column, "non-finite-signal", $"{column} is {values[i]}");
                    signals[(long)i * k + j] = (float)values[i];
                }
            }
        }

        var windows = reader.BuildWindows(split);
        var snapshot = reader.BuildSnapshotMatrix(split);
        var continuous = reader.BuildContextContinuous(split);
        return new HybridTensors(name,
            tensor(windows.Data, windows.Shape.Select(s => (long)s).ToArray()),
            tensor(snapshot.Data, snapshot.Shape.Select(s => (long)s).ToArray()),
            tensor(categorical.Select(v => (long)v).ToArray(), [n, c]),
            tensor(continuous.Data, continuous.Shape.Select(s => (long)s).ToArray()),
            signals is null ? null : tensor(signals, [n, HybridDatasetOptions.TreeSignalColumns.Count]),
            tensor(Labels("y_direction")), tensor(Labels("y_early_move")), tensor(Labels("y_quality")));
    }
}
