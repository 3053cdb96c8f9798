using Kairos.Deep.Lstm;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Lstm;

public class SequenceAugmentationTests
{
    [Fact]
    public void Apply_DefaultOptions_ChangesOutputNotInput()
    {
        using var generator = new Generator(1);
        using var x = randn([8, 20, 11], generator: generator);
        using var before = x.clone();
        using var y = SequenceAugmentation.Apply(x, new AugmentationOptions { Enabled = true }, generator);
        Assert.True(TensorsEqual(x, before));
        Assert.Equal(x.shape, y.shape);
        Assert.False(y.allclose(x, 1e-3, 1e-3));
    }

    [Fact]
    public void Apply_TimeWarpOnly_KeepsEndpointsAndValueRange()
    {
        using var generator = new Generator(2);
        using var x = randn([8, 20, 3], generator: generator);
        using var y = SequenceAugmentation.Apply(x, new AugmentationOptions { Enabled = true, JitterStd = 0, ScaleStd = 0, TimeWarpStd = 0.5 }, generator);
        Assert.True(y.select(1, 0).allclose(x.select(1, 0), 1e-5, 1e-5));
        Assert.True(y.select(1, 19).allclose(x.select(1, 19), 1e-4, 1e-4));
        Assert.False(y.allclose(x, 1e-3, 1e-3));
        Assert.True(y.max().item<float>() <= x.max().item<float>() + 1e-5f);
    }

    [Fact]
    public void Apply_AllStrengthsZero_ReturnsEqualCopy()
    {
        using var generator = new Generator(3);
        using var x = randn([2, 5, 11], generator: generator);
        using var y = SequenceAugmentation.Apply(x, new AugmentationOptions { Enabled = true, JitterStd = 0, ScaleStd = 0, TimeWarpStd = 0 }, generator);
        Assert.True(TensorsEqual(y, x));
        Assert.NotEqual(x.Handle, y.Handle);
    }

    private static bool TensorsEqual(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
