namespace Kairos.Trees;

/// <summary>
/// A dense, row-major float32 feature matrix with named columns: the input LightGBM trains and predicts
/// on. Missing values are NaN (LightGBM treats NaN as missing). Immutable after construction.
/// </summary>
public sealed class FeatureMatrix : IFeatureRows
{
    public FeatureMatrix(float[] values, int rows, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (featureNames.Count == 0)
            throw new ArgumentException("A feature matrix needs at least one column.", nameof(featureNames));
        if (rows < 0 || (long)rows * featureNames.Count != values.Length)
            throw new ArgumentException($"{values.Length} values do not form {rows} rows of {featureNames.Count} columns.", nameof(values));
        Values = values;
        Rows = rows;
        FeatureNames = featureNames;
    }

    /// <summary>Row-major values: row <c>i</c>, column <c>j</c> is at <c>i * Columns + j</c>.</summary>
    public float[] Values { get; }

    public int Rows { get; }

    public int Columns => FeatureNames.Count;

    public IReadOnlyList<string> FeatureNames { get; }

    public float this[int row, int column] => Values[(long)row * Columns + column];

    /// <summary>Views of consecutive rows (no copy).</summary>
    public IEnumerable<(int Start, int Count, ReadOnlyMemory<float> Values)> Chunks(int chunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        for (var start = 0; start < Rows; start += chunkRows)
        {
            var count = Math.Min(chunkRows, Rows - start);
            yield return (start, count, Values.AsMemory((int)((long)start * Columns), count * Columns));
        }
    }

    /// <summary>A new matrix holding the given rows, in the given order.</summary>
    public FeatureMatrix Take(IReadOnlyList<int> rows)
    {
        var columns = Columns;
        var values = new float[(long)rows.Count * columns];
        for (var i = 0; i < rows.Count; i++)
            Array.Copy(Values, (long)rows[i] * columns, values, (long)i * columns, columns);
        return new FeatureMatrix(values, rows.Count, FeatureNames);
    }
}
