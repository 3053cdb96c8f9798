using System.Buffers.Binary;
using Kairos.Datasets;
using Kairos.Deep.Runs;
using Kairos.Errors;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// The column cache the hybrid's <c>disk</c> batch source reads (docs/training-from-disk.md): built once from the dataset's
/// Parquet files, a chunk of rows at a time (<see cref="ParquetRowChunks"/>), into a <see cref="DiskBatchCache"/> (a temporary
/// directory: a cache left by a killed process is removed by the next one):
/// <list type="bullet">
/// <item><c>sequence-&lt;scaler group&gt;.f32</c>: every bar of <c>sequence.parquet</c>, scaled, float32 row-major <c>[rows, S]</c>;</item>
/// <item><c>&lt;split&gt;.rows</c>: one fixed-size record per sample (<see cref="HybridRowLayout"/>): seq_row, categorical
/// context, scaled snapshot, continuous context, tree signals, the three labels.</item>
/// </list>
/// Values are converted exactly as <see cref="HybridDatasetLoader"/> converts them (the same float for every input), and
/// the same rules are checked (category inside the contract, finite labels and signals, a full window), naming file,
/// row and column. Disposing deletes the directory.
/// </summary>
public sealed class HybridDiskCache : IDisposable
{
    /// <summary>Rows read from Parquet and written to the cache at a time.</summary>
    public const int ChunkRows = DiskBatchCache.ChunkRows;

    private readonly DiskBatchCache _cache;

    private HybridDiskCache(DiskBatchCache cache) => _cache = cache;

    /// <summary>The cache's temporary directory.</summary>
    public string Directory => _cache.Directory;

    /// <summary>A new, empty cache under <paramref name="root"/> (created when missing).</summary>
    public static HybridDiskCache Create(string root) => new(DiskBatchCache.Create(root));

    /// <summary>Caches split <paramref name="name"/> of <paramref name="reader"/>'s dataset and opens it as a batch source owned by this cache.</summary>
    public HybridDiskSplit Split(DatasetReader reader, string name, IReadOnlyList<int> cardinalities, bool treeSignals)
    {
        var meta = reader.Metadata;
        var layout = new HybridRowLayout(meta.SeqLen, meta.SequenceFeatures.Count, meta.SnapshotFeatures.Count, meta.ContextCategorical.Count,
            meta.ContextContinuous.Count, treeSignals ? HybridDatasetOptions.TreeSignalColumns.Count : 0);
        var sequence = _cache.SequenceFile(reader, meta.Split(name).ScalerGroup, [.. Enumerable.Range(0, meta.SequenceFeatures.Count)]);
        var records = Path.Combine(Directory, name + ".rows");
        var rows = WriteRecords(reader, name, layout, cardinalities, treeSignals, records);
        return new HybridDiskSplit(layout, _cache.Open(name, records, layout.RecordBytes, sequence, layout.SequenceLength, layout.SequenceFeatures, rows));
    }

    private static long WriteRecords(DatasetReader reader, string name, HybridRowLayout layout, IReadOnlyList<int> cardinalities, bool treeSignals, string path)
    {
        var meta = reader.Metadata;
        var file = Path.Combine(reader.Directory, meta.Split(name).File);
        var scalers = reader.ScalersFor(name);
        string[] labels = ["y_direction", "y_early_move", "y_quality"];
        var signalColumns = treeSignals ? HybridDatasetOptions.TreeSignalColumns : [];
        var columns = new List<string> { "seq_row" };
        columns.AddRange(meta.ContextCategorical);
        columns.AddRange(meta.SnapshotFeatures);
        columns.AddRange(meta.ContextContinuous);
        columns.AddRange(signalColumns);
        columns.AddRange(labels);
        using var parquet = new ParquetRowChunks(file, columns);
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        var record = layout.RecordBytes;
        var bytes = new byte[ChunkRows * record];
        foreach (var (first, n, values) in parquet.Read(ChunkRows))
        {
            var k = 0;
            var seqRow = (long[])values[k++];
            for (var r = 0; r < n; r++)
            {
                DiskBatchCache.CheckWindow(reader, file, first + r + 1, seqRow[r]);
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(r * record), seqRow[r]);
            }
            for (var c = 0; c < layout.Categorical; c++, k++)
            {
                var column = Ints(values[k], file, columns[k]);
                for (var r = 0; r < n; r++)
                {
                    if (column[r] < 0 || column[r] >= cardinalities[c])
                        throw new DataException(file, first + r + 1, columns[k], "category-out-of-range",
                            $"value {column[r]} is outside [0, {cardinalities[c]}) declared by the feature contract");
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(r * record + layout.CategoricalOffset + c * sizeof(int)), column[r]);
                }
            }
            var f = 0;
            void Floats(int count, StandardScaler? scaler, string? rule)
            {
                for (var c = 0; c < count; c++, k++, f++)
                {
                    var column = values[k] switch
                    {
                        double[] d => d,
                        int[] i => Array.ConvertAll(i, v => (double)v),
                        _ => throw new DataException(file, null, columns[k], "column-type", $"{columns[k]} is INT64, expected INT32 or DOUBLE"),
                    };
                    for (var r = 0; r < n; r++)
                    {
                        var v = column[r];
                        if (rule is not null && !double.IsFinite(v))
                            throw new DataException(file, first + r + 1, columns[k], rule, $"{columns[k]} is {v}");
                        var value = scaler is null ? (float)v : (float)((v - scaler.Mean[c]) / scaler.Std[c]);
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(r * record + layout.FloatOffset + f * sizeof(float)), value);
                    }
                }
            }
            Floats(layout.Snapshot, scalers.Snapshot, null);
            Floats(layout.ContextContinuous, scalers.Context, null);
            Floats(layout.TreeSignals, null, "non-finite-signal");
            Floats(3, null, "non-finite-label");
            output.Write(bytes, 0, n * record);
        }
        return parquet.Rows;
    }

    private static int[] Ints(Array values, string file, string column) => values as int[]
        ?? throw new DataException(file, null, column, "column-type", $"{column} is not INT32");

    /// <summary>Closes every split opened from the cache and deletes its directory.</summary>
    public void Dispose() => _cache.Dispose();
}
