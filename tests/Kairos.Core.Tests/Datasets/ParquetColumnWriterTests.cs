using Kairos.Datasets;

namespace Kairos.Tests.Datasets;

public class ParquetColumnWriterTests
{
    [Fact]
    public void WriteNext_ColumnByColumn_ReadsBackEveryColumn()
    {
        var path = Path.Combine(TestData.TempDirectory(), "t.parquet");
        var time = Enumerable.Range(0, 5000).Select(i => 1_700_000_000L + i * 60).ToArray();
        var symbol = Enumerable.Range(0, 5000).Select(i => i < 2500 ? "A" : "B").ToArray();
        var value = Enumerable.Range(0, 5000).Select(i => i % 7 == 0 ? double.NaN : Math.Sin(i)).ToArray();
        var flag = Enumerable.Range(0, 5000).Select(i => i % 3).ToArray();
        string hash;
        using (var writer = new ParquetColumnWriter(path, [("timestamp", typeof(long)), ("symbol", typeof(string)), ("x", typeof(double)), ("k", typeof(int))]))
        {
            Assert.Equal("timestamp", writer.NextName);
            writer.WriteNext(time);
            writer.WriteNext(symbol);
            writer.WriteNext(value);
            writer.WriteNext(flag);
            Assert.Null(writer.NextName);
            hash = writer.Complete();
        }
        Assert.Equal(ParquetColumns.FileSha256(path), hash);
        var (rows, columns) = ParquetColumns.Read(path);
        Assert.Equal(5000, rows);
        Assert.Equal(["timestamp", "symbol", "x", "k"], columns.Select(c => c.Key));
        Assert.Equal(time, (long[])columns[0].Value);
        Assert.Equal(symbol, (string[])columns[1].Value);
        Assert.Equal(value.Select(BitConverter.DoubleToInt64Bits), ((double[])columns[2].Value).Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(flag, (int[])columns[3].Value);
    }

    [Fact]
    public void WriteNext_WrongTypeOrLengthOrCompleteEarly_ThrowsNamingTheColumn()
    {
        var path = Path.Combine(TestData.TempDirectory(), "t.parquet");
        using var writer = new ParquetColumnWriter(path, [("a", typeof(long)), ("b", typeof(double))]);
        var type = Assert.Throws<ArgumentException>(() => writer.WriteNext(new int[3]));
        Assert.Contains("'a'", type.Message);
        writer.WriteNext(new long[3]);
        var length = Assert.Throws<ArgumentException>(() => writer.WriteNext(new double[2]));
        Assert.Contains("'b' has 2 rows, expected 3", length.Message);
        var early = Assert.Throws<InvalidOperationException>(() => writer.Complete());
        Assert.Contains("next is 'b'", early.Message);
    }

    [Fact]
    public void WriteNext_InChunks_ByteIdenticalToTheWholeColumnAtOnce()
    {
        // More than three chunks and not a whole number of them; strings go through the dictionary encoder.
        var n = ParquetColumnWriter.ChunkRows * 3 + 12_345;
        var time = Enumerable.Range(0, n).Select(i => 1_700_000_000L + i * 60L).ToArray();
        var symbol = Enumerable.Range(0, n).Select(i => i < n / 3 ? "EURUSD" : "XAUUSD").ToArray();
        var value = Enumerable.Range(0, n).Select(i => i % 7 == 0 ? double.NaN : Math.Sin(i) * 1e-3).ToArray();
        var flag = Enumerable.Range(0, n).Select(i => i % 5).ToArray();
        (string Name, Type Type)[] schema = [("timestamp", typeof(long)), ("symbol", typeof(string)), ("x", typeof(double)), ("k", typeof(int))];
        var dir = TestData.TempDirectory();
        var whole = Path.Combine(dir, "whole.parquet");
        var chunked = Path.Combine(dir, "chunked.parquet");
        using (var writer = new ParquetColumnWriter(whole, schema))
        {
            writer.WriteNext(time);
            writer.WriteNext(symbol);
            writer.WriteNext(value);
            writer.WriteNext(flag);
            writer.Complete();
        }
        var asked = new List<(long First, int Length)>();
        using (var writer = new ParquetColumnWriter(chunked, schema))
        {
            ColumnChunkFill<T> From<T>(T[] column, bool record = false) => (destination, first) =>
            {
                if (record) asked.Add((first, destination.Length));
                column.AsSpan((int)first, destination.Length).CopyTo(destination);
            };
            writer.WriteNext(n, From(time, record: true));
            writer.WriteNext(n, From(symbol));
            writer.WriteNext(n, From(value));
            writer.WriteNext(n, From(flag));
            writer.Complete();
        }

        Assert.Equal(4, asked.Count);
        Assert.Equal(Enumerable.Range(0, 4).Select(k => (long)k * ParquetColumnWriter.ChunkRows), asked.Select(a => a.First));
        Assert.Equal(12_345, asked[^1].Length);
        Assert.True(File.ReadAllBytes(whole).AsSpan().SequenceEqual(File.ReadAllBytes(chunked)), "the chunked file differs from the one written at once");
    }

    [Fact]
    public void WriteNext_ChunkedWithAnotherLength_ThrowsNamingTheColumn()
    {
        var path = Path.Combine(TestData.TempDirectory(), "t.parquet");
        using var writer = new ParquetColumnWriter(path, [("a", typeof(long)), ("b", typeof(double))]);
        writer.WriteNext(new long[3]);
        var length = Assert.Throws<ArgumentException>(() => writer.WriteNext<double>(2, (d, _) => d.Clear()));
        Assert.Contains("'b' has 2 rows, expected 3", length.Message);
        var type = Assert.Throws<ArgumentException>(() => writer.WriteNext<int>(3, (d, _) => d.Clear()));
        Assert.Contains("'b' is Double", type.Message);
    }
}
