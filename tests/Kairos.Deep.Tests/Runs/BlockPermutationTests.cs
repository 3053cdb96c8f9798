using Kairos.Deep.Runs;

namespace Kairos.Deep.Tests.Runs;

public class BlockPermutationTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(99L)]
    [InlineData(100L)]
    [InlineData(101L)]
    [InlineData(12_345L)]
    public void Order_AnyCount_VisitsEveryRowExactlyOnce(long count)
    {
        var order = BlockPermutation.Order(count, seed: 17, epoch: 2, blockRows: 10, groupBlocks: 4);

        Assert.Equal(count, order.LongLength);
        Assert.Equal(Enumerable.Range(0, (int)count).Select(i => (long)i), order.Order());
    }

    [Fact]
    public void Order_Groups_HoldWholeBlocksShuffledTogether()
    {
        const int blockRows = 10, groupBlocks = 4;
        var order = BlockPermutation.Order(1_000, seed: 5, epoch: 1, blockRows, groupBlocks);

        var blocksSeen = new HashSet<long>();
        for (var g = 0; g * blockRows * groupBlocks < order.Length; g++)
        {
            var group = order.Skip(g * blockRows * groupBlocks).Take(blockRows * groupBlocks).ToArray();
            var blocks = group.Select(r => r / blockRows).Distinct().ToArray();
            foreach (var b in blocks)
            {
                Assert.True(blocksSeen.Add(b), $"block {b} appears in two groups");
                Assert.Equal(Math.Min(blockRows, 1_000 - b * blockRows), group.Count(r => r / blockRows == b));
            }
            Assert.Equal(groupBlocks, blocks.Length);
            Assert.NotEqual(group.Order(), group);
        }
        Assert.NotEqual(Enumerable.Range(0, 100).Select(b => (long)b), order.Select(r => r / blockRows).Distinct());
    }

    [Fact]
    public void Order_SameSeedAndEpoch_SameOrder_OtherEpochOrSeed_Another()
    {
        var a = BlockPermutation.Order(5_000, seed: 9, epoch: 3);

        Assert.Equal(a, BlockPermutation.Order(5_000, seed: 9, epoch: 3));
        Assert.NotEqual(a, BlockPermutation.Order(5_000, seed: 9, epoch: 4));
        Assert.NotEqual(a, BlockPermutation.Order(5_000, seed: 10, epoch: 3));
    }

    [Fact]
    public void Order_SplitOfOneGroup_IsAFullShuffleWhosePositionsSpreadEvenly()
    {
        const int n = 64, epochs = 4_000;
        var counts = new int[n];
        for (var e = 1; e <= epochs; e++)
            counts[BlockPermutation.Order(n, seed: 1, epoch: e, blockRows: 8, groupBlocks: 8)[0]]++;

        var expected = epochs / (double)n;
        var chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chiSquare < 120, $"chi-square {chiSquare:F1} over 63 degrees of freedom: the first row is not uniform");
    }
}
