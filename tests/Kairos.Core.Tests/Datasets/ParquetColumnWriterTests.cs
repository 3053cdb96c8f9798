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
}
