using Kairos.Deep.Lstm;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Lstm;

public class Ts2VecCropTests
{
    /// <summary>Windows whose value at bar t of window b is 100 b + t, in every feature.</summary>
    private static Tensor Positions(int batch, int length) =>
        (arange(batch, dtype: ScalarType.Float32).view(batch, 1, 1) * 100 + arange(length, dtype: ScalarType.Float32).view(1, length, 1)).expand(batch, length, 3).contiguous();

    [Fact]
    public void Draw_ManyBatches_ViewsInsideTheWindowAndSharingTheSameBarsOfTheOverlap()
    {
        const int batch = 16, length = 30;
        using var x = Positions(batch, length);
        using var generator = new Generator(9);
        var cropLengths = new HashSet<int>();
        for (var draw = 0; draw < 300; draw++)
        {
            var crop = Ts2VecCrop.Draw(batch, length, 2, generator);
            cropLengths.Add(crop.CropLength);
            Assert.InRange(crop.CropLength, 2, length);
            Assert.InRange(crop.ExtendedLeft, 0, crop.Left);
            Assert.InRange(crop.ExtendedRight, crop.Right, length);
            var (view1, view2) = crop.Apply(x);
            Assert.Equal(new long[] { batch, crop.View1Length, 3 }, view1.shape);
            Assert.Equal(new long[] { batch, crop.View2Length, 3 }, view2.shape);
            using var overlap1 = view1.narrow(1, crop.View1Length - crop.CropLength, crop.CropLength);
            using var overlap2 = view2.narrow(1, 0, crop.CropLength);
            Assert.True(overlap1.eq(overlap2).all().item<bool>(), $"draw {draw}: the overlap is not the same bars in both views");
            var bars = view1.select(2, 0).data<float>().ToArray().Concat(view2.select(2, 0).data<float>().ToArray()).ToArray();
            for (var row = 0; row < batch; row++)
            {
                var inRow1 = view1.select(0, row).select(1, 0).data<float>().ToArray();
                Assert.All(inRow1, v => Assert.Equal(row, (int)(v / 100)));  // never another window's bars
                Assert.All(inRow1, v => Assert.InRange(v % 100, 0, length - 1));
                Assert.Equal(Enumerable.Range(0, inRow1.Length).Select(i => inRow1[0] + i), inRow1); // contiguous bars
            }
            Assert.All(bars, v => Assert.InRange(v % 100, 0, length - 1));
            view1.Dispose();
            view2.Dispose();
        }
        Assert.True(cropLengths.Count > 20, $"crop lengths drawn: {string.Join(", ", cropLengths)}");
    }

    [Fact]
    public void Draw_SameSeed_SameCrops_OtherSeed_Different()
    {
        Ts2VecCrop[] Draws(ulong seed)
        {
            using var generator = new Generator(seed);
            return Enumerable.Range(0, 20).Select(_ => Ts2VecCrop.Draw(8, 30, 2, generator)).ToArray();
        }
        static string Key(Ts2VecCrop c) => $"{c.CropLength} {c.Left} {c.ExtendedLeft} {c.ExtendedRight} [{string.Join(",", c.Offsets)}]";

        var first = Draws(3).Select(Key).ToList();
        Assert.Equal(first, Draws(3).Select(Key).ToList());
        Assert.NotEqual(first, Draws(4).Select(Key).ToList());
        Assert.Contains(Draws(3), c => c.Offsets.Distinct().Count() > 1); // windows are shifted independently
    }

    [Fact]
    public void Draw_MinimumLongerThanWindow_Throws()
    {
        using var generator = new Generator(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ts2VecCrop.Draw(4, 3, 4, generator));
    }
}
