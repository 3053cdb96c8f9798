using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Features;

namespace Kairos.Trees;

/// <summary>
/// A dataset directory read for the trees and the <see cref="GbdtProblem"/> built from it. Tree features are the
/// unscaled snapshot features, the continuous context (<c>atr_bps</c>, <c>spread_bps</c>) and the categorical context
/// ids (categorical in LightGBM); <c>session_id</c> is a feature only for the pooled model. The label is
/// <c>y_direction</c>. <see cref="Load"/> reads every split's columns into memory (and keeps them to write the enriched
/// copy); <see cref="Open"/> keeps only the per-row keys (time, session, label, <c>seq_row</c>, <c>label_end</c>) and
/// reads the features from the split files a chunk at a time (<see cref="ParquetFeatureRows"/>) whenever they are
/// needed: the same problem, without the splits in memory (docs/training-from-disk.md).
/// </summary>
public sealed class GbdtDatasetInput
{
    public const string TrainSplit = "train";
    public const string ValidationSplit = "val";
    public const string Label = "y_direction";
    public const string SessionColumn = "session_id";

    /// <summary>
    /// Rows of features read at a time by <see cref="Open"/>'s consumers unless told otherwise: 16,384 rows (6 MB of
    /// float32 with 94 features) peaked at 1.2 GB where 65,536 peaked at 1.5-1.7 GB, and was no slower
    /// (docs/training-from-disk.md).
    /// </summary>
    public const int DefaultChunkRows = 16_384;

    /// <summary>The columns <see cref="Open"/> keeps in memory for every row.</summary>
    public static readonly IReadOnlyList<string> KeyColumns = ["timestamp", "seq_row", "label_end", Label, SessionColumn];

    private GbdtDatasetInput(DatasetReader reader, IReadOnlyList<DatasetSplit> splits, GbdtProblem problem, IReadOnlyList<string> featureNames, IReadOnlyList<string> categorical, bool onDisk)
    {
        Reader = reader;
        Splits = splits;
        Problem = problem;
        FeatureNames = featureNames;
        CategoricalFeatures = categorical;
        OnDisk = onDisk;
    }

    public DatasetReader Reader { get; }

    /// <summary>Every split file's columns (only <see cref="KeyColumns"/> when <see cref="OnDisk"/>), in <c>dataset.json</c> order.</summary>
    public IReadOnlyList<DatasetSplit> Splits { get; }

    /// <summary>True when the features are read from the split files in chunks (<see cref="Open"/>), not held in memory.</summary>
    public bool OnDisk { get; }

    public GbdtProblem Problem { get; }

    /// <summary>The tree feature columns, in model input order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    public IReadOnlyList<string> CategoricalFeatures { get; }

    public DatasetMetadata Metadata => Reader.Metadata;

    /// <summary>Reads every split into memory: the feature matrices and every column (the reference path; tests, small datasets).</summary>
    public static GbdtDatasetInput Load(string directory, GbdtModelMode mode) => Read(directory, mode, chunkRows: 0);

    /// <summary>
    /// Reads the per-row keys of every split and leaves the features in the split files, read
    /// <paramref name="chunkRows"/> rows at a time by whatever needs them (what <c>kairos train gbdt</c> uses).
    /// </summary>
    public static GbdtDatasetInput Open(string directory, GbdtModelMode mode, int chunkRows = DefaultChunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        return Read(directory, mode, chunkRows);
    }

    private static GbdtDatasetInput Read(string directory, GbdtModelMode mode, int chunkRows)
    {
        var reader = DatasetReader.Open(directory);
        var meta = reader.Metadata;
        var metadataPath = Path.Combine(directory, DatasetReader.MetadataFile);
        if (meta.CalibrationApplied || meta.SignalColumns.Count > 0)
            throw new DataException(metadataPath, null, "calibration_applied", "already-enriched",
                "this dataset already carries tree signals; train the trees on the dataset it was enriched from.");
        foreach (var required in new[] { TrainSplit, ValidationSplit })
            if (!meta.Splits.Any(s => s.Name == required))
                throw new DataException(metadataPath, null, "splits", "split-missing", $"the dataset has no '{required}' split; the trees need train and val.");

        var (features, categorical) = Features(meta, mode);
        var categoricalColumns = categorical.Select(c => features.IndexOf(c)).ToArray();

        var splits = meta.Splits.Select(s => ReadSplit(reader, s.Name, chunkRows)).ToList();
        var samples = splits.Select(s => ToSamples(s, features, Path.Combine(directory, meta.Split(s.Name).File), chunkRows)).ToList();
        var train = samples.Single(s => s.Name == TrainSplit);
        var trainSplit = splits.Single(s => s.Name == TrainSplit);
        var horizonBars = HorizonBars(trainSplit, meta.BarSeconds);
        var problem = new GbdtProblem(
            train,
            samples.Single(s => s.Name == ValidationSplit),
            samples.Where(s => s.Name is not (TrainSplit or ValidationSplit)).ToList(),
            categoricalColumns,
            meta.BarSeconds,
            horizonBars);
        return new GbdtDatasetInput(reader, splits, problem, features, categorical, chunkRows > 0);
    }

    /// <summary>Every column of the split, or only <see cref="KeyColumns"/> when the features stay on disk (<paramref name="chunkRows"/> &gt; 0).</summary>
    private static DatasetSplit ReadSplit(DatasetReader reader, string name, int chunkRows) =>
        chunkRows > 0 ? reader.ReadSplit(name, KeyColumns.ToArray()) : reader.ReadSplit(name);

    /// <summary>
    /// The trees' problem of one walk-forward fold (<c>{fold}_train</c>, <c>{fold}_val</c>): the latest
    /// <paramref name="validationFraction"/> of the fold's training rows (by time) become its validation split
    /// (early stopping, then calibration, as in the stage); earlier training rows whose labels end at or
    /// after the cut are purged; <c>{fold}_val</c> is the only other split, scored by the final models.
    /// </summary>
    /// <param name="chunkRows">0: the fold's splits in memory; otherwise their features are read from the split files this many rows at a time (<see cref="Open"/>).</param>
    public static GbdtProblem FoldProblem(string directory, string fold, GbdtModelMode mode, double validationFraction, int chunkRows = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunkRows);
        var reader = DatasetReader.Open(directory);
        var meta = reader.Metadata;
        var (features, categorical) = Features(meta, mode);
        var trainSplit = ReadSplit(reader, fold + "_train", chunkRows);
        var train = ToSamples(trainSplit, features, Path.Combine(directory, meta.Split(trainSplit.Name).File), chunkRows);
        var valSplit = ReadSplit(reader, fold + "_val", chunkRows);
        var test = ToSamples(valSplit, features, Path.Combine(directory, meta.Split(valSplit.Name).File), chunkRows);
        var times = train.Times.Order().ToArray();
        if (times.Length < 2)
            throw new DataException(Path.Combine(directory, meta.Split(trainSplit.Name).File), "too-few-rows", $"{fold}_train has {times.Length} rows.");
        var cut = times[Math.Clamp((int)(times.Length * (1 - validationFraction)), 1, times.Length - 1)];
        var labelEnd = trainSplit.LabelEnd;
        var fitRows = Enumerable.Range(0, train.Rows).Where(i => train.Times[i] < cut && labelEnd[i] < cut).ToArray();
        var tailRows = Enumerable.Range(0, train.Rows).Where(i => train.Times[i] >= cut).ToArray();
        return new GbdtProblem(train.Take(trainSplit.Name, fitRows), train.Take(trainSplit.Name + "_tail", tailRows), [test],
            categorical.Select(c => features.IndexOf(c)).ToArray(), meta.BarSeconds, HorizonBars(trainSplit, meta.BarSeconds));
    }

    private static (List<string> Features, List<string> Categorical) Features(DatasetMetadata meta, GbdtModelMode mode)
    {
        var categorical = meta.ContextCategorical.Where(c => mode == GbdtModelMode.Pooled || c != SessionColumn).ToList();
        return (meta.SnapshotFeatures.Concat(meta.ContextContinuous).Concat(categorical).ToList(), categorical);
    }

    private static int HorizonBars(DatasetSplit split, long barSeconds)
    {
        var horizon = 0L;
        for (var i = 0; i < split.Rows; i++)
            horizon = Math.Max(horizon, split.LabelEnd[i] - split.Timestamp[i]);
        return (int)((horizon + barSeconds - 1) / barSeconds);
    }

    private static GbdtSamples ToSamples(DatasetSplit split, IReadOnlyList<string> features, string file, int chunkRows)
    {
        var n = split.Rows;
        IFeatureRows rows;
        if (chunkRows > 0)
        {
            rows = new ParquetFeatureRows(file, features, chunkRows);
            if (rows.Rows != n) throw new DataException(file, null, features[0], "column-rows", $"the feature columns have {rows.Rows} rows, the split's keys {n}.");
        }
        else rows = Matrix(split, features, file);
        var labels = split.Int(Label);
        for (var i = 0; i < n; i++)
            if (labels[i] is not (0 or 1))
                throw new DataException(file, i + 1, Label, "label-not-binary", $"{Label} is {labels[i]}, expected 0 or 1.");
        var sessionIds = split.Int(SessionColumn);
        var sessions = new string[n];
        for (var i = 0; i < n; i++)
        {
            if (sessionIds[i] < 0 || sessionIds[i] >= SessionTable.Names.Count)
                throw new DataException(file, i + 1, SessionColumn, "session-unknown", $"session_id {sessionIds[i]} is not one of 0..{SessionTable.Names.Count - 1}.");
            sessions[i] = SessionTable.Names[sessionIds[i]];
        }
        return new GbdtSamples(split.Name, split.Timestamp, sessions, rows, labels);
    }

    private static FeatureMatrix Matrix(DatasetSplit split, IReadOnlyList<string> features, string file)
    {
        var n = split.Rows;
        var values = new float[(long)n * features.Count];
        for (var c = 0; c < features.Count; c++)
        {
            if (!split.Has(features[c]))
                throw new DataException(file, null, features[c], "column-missing", "the split file lacks a feature column listed in dataset.json.");
            CopyColumn(split.Columns.First(k => k.Key == features[c]).Value, n, values, c, features.Count, file, features[c]);
        }
        return new FeatureMatrix(values, n, features);
    }

    /// <summary>
    /// The first <paramref name="count"/> values of one tree feature column (DOUBLE narrowed to float32, INT32 categories as
    /// floats) into column <paramref name="c"/> of the row-major <paramref name="rows"/> of <paramref name="columns"/> features;
    /// any other column type is refused naming <paramref name="file"/> and <paramref name="name"/>.
    /// </summary>
    internal static void CopyColumn(Array column, int count, float[] rows, int c, int columns, string file, string name)
    {
        switch (column)
        {
            case double[] d:
                for (var i = 0; i < count; i++) rows[(long)i * columns + c] = (float)d[i];
                break;
            case int[] k:
                for (var i = 0; i < count; i++) rows[(long)i * columns + c] = k[i];
                break;
            default:
                throw new DataException(file, null, name, "column-type", $"expected DOUBLE or INT32, found {column.GetType().Name}.");
        }
    }
}
