using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Artifacts;
using Kairos.Errors;
using ParquetSharp;

namespace Kairos.Trees;

/// <summary>
/// Writes the enriched copy of a dataset: a new dataset directory (sibling of the source by default) whose
/// split files carry the five signal columns, whose <c>dataset.json</c> says <c>calibration_applied: true</c>
/// and lists <c>signal_columns</c>, plus <c>signals.json</c> (definitions, provenance, lineage to the source
/// dataset and the trees artifact). Written to a temporary sibling and renamed into place. From an input read in
/// memory the split files are written from its columns; from an input on disk (<see cref="GbdtDatasetInput.Open"/>)
/// each is copied from the source file column by column, a chunk at a time, with the signals appended.
/// </summary>
public static class EnrichedDatasetWriter
{
    public const string SignalsFile = "signals.json";

    /// <summary>
    /// The split file <paramref name="sourceFile"/> with the signal columns appended, written to <paramref name="target"/>
    /// column by column, each source column copied a chunk at a time (<see cref="ParquetColumnWriter.WriteNext{T}(long, ColumnChunkFill{T})"/>):
    /// neither the split nor a column is held whole. The file is byte-identical to the one written from the split's
    /// columns in memory. Returns its SHA-256.
    /// </summary>
    internal static string WriteStreaming(string sourceFile, string target, TreeSignals signals)
    {
        using var properties = ReaderProperties.GetDefaultReaderProperties();
        properties.EnableBufferedStream();
        using var file = new ParquetFileReader(sourceFile, properties);
        var schema = file.FileMetaData.Schema;
        var rows = file.FileMetaData.NumRows;
        if (rows != signals.Rows)
            throw new DataException(sourceFile, null, "rows", "signal-rows", $"the split file has {rows} rows, the trees scored {signals.Rows}.");
        var columns = Enumerable.Range(0, schema.NumColumns).Select(c => (schema.Column(c).Name, schema.Column(c).PhysicalType switch
        {
            PhysicalType.Int64 => typeof(long),
            PhysicalType.Int32 => typeof(int),
            PhysicalType.Double => typeof(double),
            PhysicalType.Float => typeof(float),
            PhysicalType.ByteArray => typeof(string),
            var other => throw new DataException(sourceFile, null, schema.Column(c).Name, "column-type", $"unsupported physical type {other}"),
        })).ToList();
        using var writer = new ParquetColumnWriter(target, [.. columns, .. TreeSignals.ColumnNames.Select(n => (n, typeof(double)))]);
        for (var c = 0; c < columns.Count; c++)
        {
            var type = columns[c].Item2;
            if (type == typeof(long)) CopyColumn<long>(sourceFile, file, c, writer, rows);
            else if (type == typeof(int)) CopyColumn<int>(sourceFile, file, c, writer, rows);
            else if (type == typeof(double)) CopyColumn<double>(sourceFile, file, c, writer, rows);
            else if (type == typeof(float)) CopyColumn<float>(sourceFile, file, c, writer, rows);
            else CopyColumn<string>(sourceFile, file, c, writer, rows);
        }
        foreach (var column in signals.Columns) writer.WriteNext(column);
        return writer.Complete();
    }

    /// <summary>Copies column <paramref name="column"/> of every row group of <paramref name="file"/> into the writer's next column, a chunk at a time.</summary>
    private static void CopyColumn<T>(string path, ParquetFileReader file, int column, ParquetColumnWriter writer, long rows)
    {
        var group = 0;
        long left = 0;
        RowGroupReader? rowGroup = null;
        ColumnReader? columnReader = null;
        LogicalColumnReader<T>? values = null;
        void Close()
        {
            values?.Dispose();
            columnReader?.Dispose();
            rowGroup?.Dispose();
        }
        try
        {
            writer.WriteNext<T>(rows, (destination, firstRow) =>
            {
                for (var done = 0; done < destination.Length;)
                {
                    if (left == 0)
                    {
                        Close();
                        rowGroup = file.RowGroup(group++);
                        left = rowGroup.MetaData.NumRows;
                        columnReader = rowGroup.Column(column);
                        values = columnReader.LogicalReader<T>();
                        continue;
                    }
                    var n = (int)Math.Min(left, destination.Length - done);
                    var read = values!.ReadBatch(destination.Slice(done, n));
                    if (read != n)
                        throw new DataException(path, firstRow + done + 1, file.FileMetaData.Schema.Column(column).Name, "column-short",
                            $"row group {group - 1} gave {read} values, expected {n}");
                    done += n;
                    left -= n;
                }
            });
        }
        finally
        {
            Close();
        }
    }

    /// <summary>The id of the enriched copy: derived from the source dataset id and the trees artifact id.</summary>
    public static string EnrichedId(string datasetId, string treesId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"kairos.enriched/1\n{datasetId}\n{treesId}")))[..16];

    /// <summary>Writes the copy under <paramref name="root"/> unless it already exists; returns its directory.</summary>
    public static string Write(
        string root, string enrichedId, GbdtDatasetInput input, IReadOnlyDictionary<string, TreeSignals> signals,
        JsonObject signalsDocument, DateTimeOffset createdAt)
    {
        var finalDir = Path.Combine(root, enrichedId);
        if (File.Exists(Path.Combine(finalDir, DatasetReader.MetadataFile))) return finalDir;
        var temp = ArtifactDirectory.CreateTemporarySibling(root, enrichedId);
        try
        {
            var meta = input.Metadata;
            var source = input.Reader.Directory;
            File.Copy(Path.Combine(source, meta.Sequence.File), Path.Combine(temp, meta.Sequence.File));
            var splitsJson = Path.Combine(source, "splits.json");
            if (File.Exists(splitsJson)) File.Copy(splitsJson, Path.Combine(temp, "splits.json"));
            var infos = new List<SplitInfo>();
            foreach (var split in input.Splits)
            {
                var s = signals[split.Name];
                var info = meta.Split(split.Name);
                var target = Path.Combine(temp, info.File);
                string sha;
                if (input.OnDisk) sha = WriteStreaming(Path.Combine(source, info.File), target, s);
                else
                {
                    var enriched = split;
                    for (var c = 0; c < TreeSignals.ColumnNames.Count; c++)
                        enriched = enriched.WithColumn(TreeSignals.ColumnNames[c], s.Columns[c]);
                    sha = ParquetColumns.Write(target, enriched.Columns);
                }
                infos.Add(info with { Sha256 = sha });
            }
            var metadata = meta with
            {
                Id = enrichedId,
                CreatedAt = createdAt,
                CalibrationApplied = true,
                SignalColumns = TreeSignals.ColumnNames,
                Splits = infos,
            };
            File.WriteAllText(Path.Combine(temp, DatasetReader.MetadataFile), JsonSerializer.Serialize(metadata, DatasetJson.Options));
            File.WriteAllText(Path.Combine(temp, SignalsFile), signalsDocument.ToJsonString(ArtifactJson.Options) + "\n");
            Directory.Move(temp, finalDir);
            return finalDir;
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }
}
