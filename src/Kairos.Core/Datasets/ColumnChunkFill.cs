namespace Kairos.Datasets;

/// <summary>
/// Fills <paramref name="destination"/> with a column's rows from <paramref name="firstRow"/> on
/// (<see cref="ParquetColumnWriter.WriteNext{T}(long, ColumnChunkFill{T})"/> asks for the rows in order, chunk by chunk).
/// </summary>
public delegate void ColumnChunkFill<T>(Span<T> destination, long firstRow);
