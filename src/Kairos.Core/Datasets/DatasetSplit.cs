namespace Kairos.Datasets;

/// <summary>
/// The columns of one split file, by name and in file order. Typed accessors fail with the column name
/// when it is missing or has another type. <see cref="WithColumn"/> returns a copy with one more column
/// (how the trees stage adds its signal columns before writing an enriched dataset).
/// </summary>
public sealed class DatasetSplit
{
    private readonly Dictionary<string, Array> _byName;

    public DatasetSplit(string name, long rows, IReadOnlyList<KeyValuePair<string, Array>> columns)
    {
        Name = name;
        Rows = (int)rows;
        Columns = columns;
        _byName = columns.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
    }

    public string Name { get; }
    public int Rows { get; }
    public IReadOnlyList<KeyValuePair<string, Array>> Columns { get; }
    public IEnumerable<string> ColumnNames => Columns.Select(c => c.Key);

    public bool Has(string column) => _byName.ContainsKey(column);

    public long[] Timestamp => Get<long[]>("timestamp");
    public string[] Symbol => Get<string[]>("symbol");
    public long[] SeqRow => Get<long[]>("seq_row");
    public long[] LabelEnd => Get<long[]>("label_end");

    public double[] Double(string column) => Get<double[]>(column);
    public int[] Int(string column) => Get<int[]>(column);
    public long[] Long(string column) => Get<long[]>(column);

    public DatasetSplit WithColumn(string column, Array values)
    {
        if (values.Length != Rows) throw new ArgumentException($"column '{column}' has {values.Length} rows, split '{Name}' has {Rows}");
        if (_byName.ContainsKey(column)) throw new ArgumentException($"split '{Name}' already has a column '{column}'");
        return new DatasetSplit(Name, Rows, [.. Columns, new(column, values)]);
    }

    private T Get<T>(string column) where T : class
    {
        if (!_byName.TryGetValue(column, out var a))
            throw new KeyNotFoundException($"split '{Name}' has no column '{column}'");
        return a as T ?? throw new InvalidCastException($"column '{column}' of split '{Name}' is {a.GetType().Name}, not {typeof(T).Name}");
    }
}
