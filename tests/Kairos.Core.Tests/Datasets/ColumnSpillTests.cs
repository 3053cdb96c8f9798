using Kairos.Datasets;

namespace Kairos.Tests.Datasets;

public class ColumnSpillTests
{
    [Fact]
    public void Read_AfterChunkedAppends_ReturnsEveryValueInOrder()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "spill");
        using var spill = new ColumnSpill(dir, 2);
        var rng = new Random(3);
        var expected = Enumerable.Range(0, 10_001).Select(i => i % 97 == 0 ? double.NaN : rng.NextDouble() - 0.5).ToArray();
        for (var start = 0; start < expected.Length; start += 4096)
        {
            var chunk = expected.AsSpan(start, Math.Min(4096, expected.Length - start));
            spill.Append(0, chunk);
            spill.Append(1, chunk);
        }
        spill.Complete();
        var back = new double[expected.Length];
        spill.Read(1, back);
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), back.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Length, spill.Rows(0));
        Assert.Throws<ArgumentException>(() => spill.Read(0, new double[expected.Length - 1]));
    }

    [Fact]
    public void Read_BeforeComplete_ThrowsAndDisposeRemovesTheFiles()
    {
        var dir = Path.Combine(TestData.TempDirectory(), "spill");
        var spill = new ColumnSpill(dir, 1);
        spill.Append(0, [1.0, 2.0]);
        Assert.Throws<InvalidOperationException>(() => spill.Read(0, new double[2]));
        Assert.Single(Directory.GetFiles(dir));
        spill.Dispose();
        Assert.False(Directory.Exists(dir));
    }
}
