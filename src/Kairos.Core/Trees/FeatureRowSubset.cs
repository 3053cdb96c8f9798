namespace Kairos.Trees;

/// <summary>
/// Some rows of another <see cref="IFeatureRows"/>, in ascending order, read from it a chunk at a time: how the stage
/// and the search take a session group's or a fold's rows of a split on disk without its matrix in memory. Each chunk
/// of the source is read once per enumeration and the wanted rows copied out.
/// </summary>
public sealed class FeatureRowSubset : IFeatureRows
{
    private readonly IFeatureRows _source;
    private readonly int[] _rows;

    /// <param name="rows">Row indexes into <paramref name="source"/>, strictly ascending.</param>
    public FeatureRowSubset(IFeatureRows source, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rows);
        _rows = rows.ToArray();
        for (var i = 0; i < _rows.Length; i++)
            if (_rows[i] < 0 || _rows[i] >= source.Rows || (i > 0 && _rows[i] <= _rows[i - 1]))
                throw new ArgumentException($"row {i} of the subset is {_rows[i]}: rows must be strictly ascending indexes into the {source.Rows} source rows", nameof(rows));
        _source = source;
    }

    /// <summary>
    /// Rows <paramref name="rows"/> of <paramref name="source"/>: a new matrix (<see cref="FeatureMatrix.Take"/>, any order)
    /// when the source is one, else a subset read in chunks (ascending rows).
    /// </summary>
    public static IFeatureRows Of(IFeatureRows source, IReadOnlyList<int> rows) =>
        source is FeatureMatrix matrix ? matrix.Take(rows) : new FeatureRowSubset(source, rows);

    public IReadOnlyList<string> FeatureNames => _source.FeatureNames;

    public int Rows => _rows.Length;

    public int ChunkRows => _source.ChunkRows;

    public IEnumerable<(int Start, int Count, ReadOnlyMemory<float> Values)> Chunks(int chunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        var columns = FeatureNames.Count;
        var buffer = new float[(long)chunkRows * columns];
        var next = 0;
        var filled = 0;
        var first = 0;
        if (_rows.Length == 0) yield break;
        foreach (var (start, count, values) in _source.Chunks(chunkRows))
        {
            while (next < _rows.Length && _rows[next] < start + count)
            {
                values.Span.Slice((_rows[next] - start) * columns, columns).CopyTo(buffer.AsSpan(filled * columns, columns));
                next++;
                if (++filled < chunkRows) continue;
                yield return (first, filled, buffer.AsMemory(0, filled * columns));
                first += filled;
                filled = 0;
            }
            if (next == _rows.Length) break;
        }
        if (filled > 0) yield return (first, filled, buffer.AsMemory(0, filled * columns));
        if (first + filled != _rows.Length)
            throw new InvalidOperationException($"the source gave {first + filled} of the subset's {_rows.Length} rows");
    }
}
