namespace Kairos.Trees;

/// <summary>
/// Feature rows handed over a chunk at a time (row-major float32, NaN for missing), so that a LightGBM dataset can be
/// built without the whole matrix in memory (<see cref="LightGbmDataset.CreateChunked"/>). Every enumeration of
/// <see cref="Chunks"/> gives the same rows in the same order.
/// </summary>
public interface IFeatureRows
{
    IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of rows.</summary>
    int Rows { get; }

    /// <summary>Consecutive chunks of at most <paramref name="chunkRows"/> rows covering every row once, in order: the first row and its values (valid until the next chunk).</summary>
    IEnumerable<(int Start, int Count, ReadOnlyMemory<float> Values)> Chunks(int chunkRows);

    /// <summary>Rows a consumer reads at a time from this source (<see cref="LightGbmDataset.Build"/>, chunked prediction).</summary>
    int ChunkRows => LightGbmDataset.DefaultChunkRows;
}
