using Kairos.Artifacts;
using System.Text.Json;
using Kairos.Errors;

namespace Kairos.Datasets;

/// <summary>
/// Opens a dataset directory written by <see cref="DatasetBuilder"/>: metadata, split columns, and the
/// model inputs scaled with the train-only scalers: sequence windows <c>[N, L, S]</c>, snapshot matrix
/// <c>[N, F]</c>, categorical context <c>[N, C]</c> and continuous context <c>[N, K]</c>.
/// Splits use the scalers of their own training set (<see cref="SplitInfo.ScalerGroup"/>).
/// </summary>
public sealed class DatasetReader
{
    public const string MetadataFile = "dataset.json";

    /// <summary>The newest dataset schema this code reads.</summary>
    public const int ReaderVersion = 1;

    private readonly Dictionary<string, float[]> _scaledSequence = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private double[][]? _sequence;

    private DatasetReader(string directory, DatasetMetadata metadata)
    {
        Directory = directory;
        Metadata = metadata;
    }

    public string Directory { get; }
    public DatasetMetadata Metadata { get; }
    public IReadOnlyList<string> SplitNames => Metadata.Splits.Select(s => s.Name).ToList();

    public static DatasetReader Open(string directory)
    {
        var path = Path.Combine(directory, MetadataFile);
        if (!File.Exists(path)) throw new DataException(path, "dataset-missing", $"no {MetadataFile} in {directory}: not a dataset directory");
        DatasetMetadata? metadata;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (root.TryGetProperty(ArtifactVersion.MinReaderField, out var mrv))
                ArtifactVersion.EnsureReadable(path, "dataset", mrv.GetInt32(), ReaderVersion);
            metadata = root.Deserialize<DatasetMetadata>(DatasetJson.Options);
        }
        catch (JsonException e)
        {
            throw new DataException(path, e.LineNumber + 1, e.Path, "dataset-json", e.Message, e);
        }
        if (metadata is null) throw new DataException(path, "dataset-json", "empty metadata");
        return new DatasetReader(directory, metadata);
    }

    /// <summary>Reads every column of a split.</summary>
    public DatasetSplit ReadSplit(string name)
    {
        var info = Metadata.Split(name);
        var (rows, columns) = ParquetColumns.Read(Path.Combine(Directory, info.File));
        return new DatasetSplit(name, rows, columns);
    }

    /// <summary>Reads only the named columns of a split.</summary>
    public DatasetSplit ReadSplit(string name, IReadOnlyCollection<string> columns)
    {
        var info = Metadata.Split(name);
        var (rows, cols) = ParquetColumns.Read(Path.Combine(Directory, info.File), columns);
        return new DatasetSplit(name, rows, cols);
    }

    /// <summary>The scalers and bucket thresholds that apply to <paramref name="split"/>.</summary>
    public ScalerSet ScalersFor(string split) => Metadata.Scalers[Metadata.Split(split).ScalerGroup];

    /// <summary>Scaled sequence windows, shape [N, L, S]; window of sample i = rows seq_row-L+1..seq_row.</summary>
    public WindowBatch BuildWindows(DatasetSplit split)
    {
        var L = Metadata.SeqLen;
        var S = Metadata.SequenceFeatures.Count;
        var scaled = ScaledSequence(Metadata.Split(split.Name).ScalerGroup);
        var seqRow = split.SeqRow;
        var n = split.Rows;
        var data = new float[(long)n * L * S];
        for (var i = 0; i < n; i++)
        {
            var first = seqRow[i] - L + 1;
            if (first < 0 || seqRow[i] >= Metadata.Sequence.Rows)
                throw new DataException(Path.Combine(Directory, Metadata.Split(split.Name).File), i + 1, "seq_row", "window-out-of-range",
                    $"seq_row {seqRow[i]} has no full window of {L} rows in sequence.parquet");
            Array.Copy(scaled, first * S, data, (long)i * L * S, L * S);
        }
        return new WindowBatch(data, [n, L, S]);
    }

    /// <summary>Scaled snapshot features, shape [N, F] in <see cref="DatasetMetadata.SnapshotFeatures"/> order.</summary>
    public WindowBatch BuildSnapshotMatrix(DatasetSplit split)
    {
        var names = Metadata.SnapshotFeatures;
        var scaler = ScalersFor(split.Name).Snapshot;
        return Matrix(split, names, scaler);
    }

    /// <summary>Scaled continuous context (atr_bps, spread_bps when present), shape [N, K].</summary>
    public WindowBatch BuildContextContinuous(DatasetSplit split) =>
        Matrix(split, Metadata.ContextContinuous, ScalersFor(split.Name).Context);

    /// <summary>Categorical context ids, row-major [N, C] in <see cref="DatasetMetadata.ContextCategorical"/> order.</summary>
    public int[] BuildContextCategorical(DatasetSplit split)
    {
        var names = Metadata.ContextCategorical;
        var n = split.Rows;
        var result = new int[n * names.Count];
        for (var c = 0; c < names.Count; c++)
        {
            var col = split.Int(names[c]);
            for (var i = 0; i < n; i++) result[i * names.Count + c] = col[i];
        }
        return result;
    }

    private WindowBatch Matrix(DatasetSplit split, IReadOnlyList<string> names, StandardScaler scaler)
    {
        var n = split.Rows;
        var f = names.Count;
        var data = new float[(long)n * f];
        for (var c = 0; c < f; c++)
        {
            var col = split.Double(names[c]);
            var (m, s) = (scaler.Mean[c], scaler.Std[c]);
            for (var i = 0; i < n; i++) data[(long)i * f + c] = (float)((col[i] - m) / s);
        }
        return new WindowBatch(data, [n, f]);
    }

    /// <summary>Raw (unscaled) sequence columns, in <see cref="DatasetMetadata.SequenceFeatures"/> order.</summary>
    public double[][] ReadSequence()
    {
        lock (_gate)
        {
            if (_sequence is not null) return _sequence;
            var (_, cols) = ParquetColumns.Read(Path.Combine(Directory, Metadata.Sequence.File), Metadata.SequenceFeatures);
            var byName = cols.ToDictionary(c => c.Key, c => (double[])c.Value);
            _sequence = Metadata.SequenceFeatures.Select(n => byName[n]).ToArray();
            return _sequence;
        }
    }

    private float[] ScaledSequence(string group)
    {
        var raw = ReadSequence();
        lock (_gate)
        {
            if (_scaledSequence.TryGetValue(group, out var cached)) return cached;
            var scaler = Metadata.Scalers[group].Sequence;
            var rows = raw.Length == 0 ? 0 : raw[0].Length;
            var S = raw.Length;
            var data = new float[(long)rows * S];
            for (var c = 0; c < S; c++)
            {
                var col = raw[c];
                var (m, s) = (scaler.Mean[c], scaler.Std[c]);
                for (var r = 0; r < rows; r++) data[(long)r * S + c] = (float)((col[r] - m) / s);
            }
            _scaledSequence[group] = data;
            return data;
        }
    }
}
