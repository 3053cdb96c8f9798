using Kairos.Trees;

namespace Kairos.Tests.Trees;

public sealed class PurgedTimeFoldsTests
{
    private static long[] Times(int n, long step = 300) => Enumerable.Range(0, n).Select(i => 1_000_000 + i * step).ToArray();

    [Fact]
    public void Create_EveryRow_HeldOutExactlyOnceInContiguousBlocks()
    {
        var times = Times(1000);

        var folds = PurgedTimeFolds.Create(times, 5, 0, 0);

        var count = new int[times.Length];
        foreach (var fold in folds.Folds)
        {
            foreach (var r in fold.HeldOut) count[r]++;
            Assert.Equal(fold.HeldOut.Length, fold.HeldOut[^1] - fold.HeldOut[0] + 1);
            Assert.Equal(times.Length - fold.HeldOut.Length, fold.Train.Length);
        }
        Assert.All(count, c => Assert.Equal(1, c));
        Assert.Equal(200, folds.Folds[0].HeldOut.Length);
    }

    [Fact]
    public void Create_PurgeAndEmbargo_DropRowsAroundHeldOutBlock()
    {
        var times = Times(1000);

        var folds = PurgedTimeFolds.Create(times, 4, purgeSeconds: 13 * 300, embargoSeconds: 5 * 300);

        var middle = folds.Folds[1];
        Assert.Equal(13, middle.Purged);
        Assert.Equal(5, middle.Embargoed);
        Assert.Equal(1000 - 250 - 13 - 5, middle.Train.Length);
        foreach (var r in middle.Train)
            Assert.True(times[r] < middle.HeldOutStart - 13 * 300 || times[r] > middle.HeldOutEnd + 5 * 300, $"row {r} at {times[r]} is too close");
        Assert.Equal(0, folds.Folds[0].Purged);
        Assert.Equal(0, folds.Folds[3].Embargoed);
    }

    [Fact]
    public void Create_RowsSharingATime_StayInOneBlock()
    {
        var times = Enumerable.Range(0, 300).Select(i => 1_000_000L + i / 3 * 300).Reverse().ToArray();

        var folds = PurgedTimeFolds.Create(times, 4, 0, 0);

        foreach (var fold in folds.Folds)
        {
            var inBlock = fold.HeldOut.Select(r => times[r]).ToHashSet();
            Assert.DoesNotContain(fold.Train, r => inBlock.Contains(times[r]));
        }
        Assert.Equal(300, folds.Folds.Sum(f => f.HeldOut.Length));
    }

    [Fact]
    public void Create_FewerDistinctTimesThanFolds_Throws()
    {
        Assert.Throws<ArgumentException>(() => PurgedTimeFolds.Create([5, 5, 5, 6], 3, 0, 0));
    }
}
