using Kairos.Datasets;
using Kairos.Errors;

namespace Kairos.Trees;

/// <summary>
/// The tree features of a split file read a chunk of rows at a time (<see cref="ParquetRowChunks"/>), converted as
/// <see cref="GbdtDatasetInput"/> converts them (DOUBLE to float32, INT32 categories as floats): the rows of
/// <see cref="LightGbmDataset.CreateChunked"/> without the split's feature matrix in memory.
/// </summary>
public sealed class ParquetFeatureRows(string splitFile, IReadOnlyList<string> featureNames, int chunkRows = LightGbmDataset.DefaultChunkRows) : IFeatureRows
{
    public IReadOnlyList<string> FeatureNames { get; } = featureNames;

    /// <summary>Rows its consumers read at a time (the split file is read in chunks of this size).</summary>
    public int ChunkRows { get; } = chunkRows > 0 ? chunkRows : throw new ArgumentOutOfRangeException(nameof(chunkRows), chunkRows, "must be positive");

    /// <summary>The split file.</summary>
    public string SplitFile { get; } = splitFile;

    public int Rows { get; } = RowCount(splitFile, featureNames);

    /// <summary>The <c>y_direction</c> labels of the split file (checked 0/1, naming the row otherwise).</summary>
    public int[] Labels()
    {
        var labels = new int[Rows];
        using var parquet = new ParquetRowChunks(SplitFile, [GbdtDatasetInput.Label]);
        foreach (var (first, count, values) in parquet.Read(LightGbmDataset.DefaultChunkRows))
        {
            var column = values[0] as int[] ?? throw new DataException(SplitFile, null, GbdtDatasetInput.Label, "column-type", $"{GbdtDatasetInput.Label} is not INT32.");
            for (var i = 0; i < count; i++)
            {
                if (column[i] is not (0 or 1))
                    throw new DataException(SplitFile, first + i + 1, GbdtDatasetInput.Label, "label-not-binary", $"{GbdtDatasetInput.Label} is {column[i]}, expected 0 or 1.");
                labels[first + i] = column[i];
            }
        }
        return labels;
    }

    public IEnumerable<(int Start, int Count, ReadOnlyMemory<float> Values)> Chunks(int chunkRows)
    {
        var columns = FeatureNames.Count;
        var buffer = new float[(long)chunkRows * columns];
        using var parquet = new ParquetRowChunks(SplitFile, FeatureNames);
        foreach (var (first, count, values) in parquet.Read(chunkRows))
        {
            for (var c = 0; c < columns; c++)
                GbdtDatasetInput.CopyColumn(values[c], count, buffer, c, columns, SplitFile, FeatureNames[c]);
            yield return ((int)first, count, buffer.AsMemory(0, count * columns));
        }
    }

    private static int RowCount(string file, IReadOnlyList<string> names)
    {
        using var parquet = new ParquetRowChunks(file, names);
        return checked((int)parquet.Rows);
    }
}
