using Kairos.Deep.Lstm;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Lstm;

public class Ts2VecLossTests
{
    private static Tensor Random(long b, long t, long c, ulong seed, double scale = 1)
    {
        using var generator = new Generator(seed);
        return randn([b, t, c], dtype: ScalarType.Float64, generator: generator) * scale;
    }

    private static double[,,] Values(Tensor z)
    {
        var (b, t, c) = ((int)z.shape[0], (int)z.shape[1], (int)z.shape[2]);
        var flat = z.to(ScalarType.Float64).data<double>().ToArray();
        var result = new double[b, t, c];
        for (var i = 0; i < b; i++)
            for (var j = 0; j < t; j++)
                for (var k = 0; k < c; k++)
                    result[i, j, k] = flat[(i * t + j) * c + k];
        return result;
    }

    /// <summary>
    /// Mean over anchors of -log(exp(s(a, positive)) / sum over the other items of exp(s(a, j))), s the dot product, for
    /// items[0..M) from view 1 and items[M..2M) from view 2; computed with plain loops in double precision.
    /// </summary>
    private static double DirectContrast(IReadOnlyList<double[]> items)
    {
        var m = items.Count / 2;
        double sum = 0;
        for (var a = 0; a < items.Count; a++)
        {
            var positive = a < m ? a + m : a - m;
            double Dot(int j) => items[a].Zip(items[j], (x, y) => x * y).Sum();
            var denominator = Enumerable.Range(0, items.Count).Where(j => j != a).Sum(j => Math.Exp(Dot(j)));
            sum += -(Dot(positive) - Math.Log(denominator));
        }
        return sum / items.Count;
    }

    private static double[] Vector(double[,,] z, int b, int t) => Enumerable.Range(0, z.GetLength(2)).Select(k => z[b, t, k]).ToArray();

    private static double DirectInstance(double[,,] z1, double[,,] z2)
    {
        int b = z1.GetLength(0), t = z1.GetLength(1);
        if (b == 1) return 0;
        return Enumerable.Range(0, t).Average(time =>
            DirectContrast([.. Enumerable.Range(0, b).Select(i => Vector(z1, i, time)), .. Enumerable.Range(0, b).Select(i => Vector(z2, i, time))]));
    }

    private static double DirectTemporal(double[,,] z1, double[,,] z2)
    {
        int b = z1.GetLength(0), t = z1.GetLength(1);
        if (t == 1) return 0;
        return Enumerable.Range(0, b).Average(row =>
            DirectContrast([.. Enumerable.Range(0, t).Select(j => Vector(z1, row, j)), .. Enumerable.Range(0, t).Select(j => Vector(z2, row, j))]));
    }

    /// <summary>Max over pairs of timestamps (floor: an odd last one dropped), as max_pool1d(kernel 2).</summary>
    private static double[,,] Pool(double[,,] z)
    {
        int b = z.GetLength(0), t = z.GetLength(1) / 2, c = z.GetLength(2);
        var pooled = new double[b, t, c];
        for (var i = 0; i < b; i++)
            for (var j = 0; j < t; j++)
                for (var k = 0; k < c; k++)
                    pooled[i, j, k] = Math.Max(z[i, 2 * j, k], z[i, 2 * j + 1, k]);
        return pooled;
    }

    [Fact]
    public void Hierarchical_TwoWindowsOneBarHandChecked_HalfTheInstanceTerm()
    {
        // Views identical, windows a = 1 and b = 0, one bar, one channel. Items [a, b, a, b]: anchor a's positive has
        // similarity 1 against the others' 0, 1, 0: -log(e / (2 + e)); anchor b's has 0 against 0, 0, 0: log 3.
        using var z = tensor(new double[] { 1, 0 }, [2, 1, 1]);
        var expectedInstance = (Math.Log(2 + Math.E) - 1 + Math.Log(3)) / 2;

        using var instance = Ts2VecLoss.Instance(z, z);
        using var temporal = Ts2VecLoss.Temporal(z, z);
        using var loss = Ts2VecLoss.Hierarchical(z, z, alpha: 0.5);

        Assert.Equal(expectedInstance, instance.item<double>(), 12);
        Assert.Equal(0, temporal.item<double>());
        Assert.Equal(0.5 * expectedInstance, loss.item<double>(), 12); // one level: alpha x instance / 1
    }

    [Theory]
    [InlineData(3, 5, 4)]
    [InlineData(1, 6, 3)]
    [InlineData(4, 1, 2)]
    public void InstanceAndTemporal_RandomViews_MatchDirectComputation(int b, int t, int c)
    {
        using var z1 = Random(b, t, c, 1);
        using var z2 = Random(b, t, c, 2);

        using var instance = Ts2VecLoss.Instance(z1, z2);
        using var temporal = Ts2VecLoss.Temporal(z1, z2);

        Assert.Equal(DirectInstance(Values(z1), Values(z2)), instance.item<double>(), 10);
        Assert.Equal(DirectTemporal(Values(z1), Values(z2)), temporal.item<double>(), 10);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(7, 3)]
    [InlineData(8, 4)]
    [InlineData(30, 5)]
    public void Levels_MaxPoolingByTwoUntilOneBar_Floor(int length, int levels) => Assert.Equal(levels, Ts2VecLoss.Levels(length));

    [Theory]
    [InlineData(30, 0.5, 0)]
    [InlineData(9, 0.25, 1)]
    [InlineData(8, 0, 0)]
    [InlineData(5, 1, 0)]
    public void Hierarchical_RandomViews_MeanOfTheTermsOverEveryPoolingLevel(int length, double alpha, int temporalUnit)
    {
        using var z1 = Random(3, length, 4, 3);
        using var z2 = Random(3, length, 4, 4);
        var (a, b) = (Values(z1), Values(z2));
        double sum = 0;
        var levels = 0;
        while (a.GetLength(1) > 1)
        {
            sum += alpha * DirectInstance(a, b) + (levels >= temporalUnit ? (1 - alpha) * DirectTemporal(a, b) : 0);
            levels++;
            (a, b) = (Pool(a), Pool(b));
        }
        sum += alpha * DirectInstance(a, b);
        levels++;

        using var loss = Ts2VecLoss.Hierarchical(z1, z2, alpha, temporalUnit);

        Assert.Equal(Ts2VecLoss.Levels(length), levels);
        Assert.Equal(sum / levels, loss.item<double>(), 10);
    }

    [Fact]
    public void Hierarchical_IdenticalViews_LowerThanShuffledViews()
    {
        using var z = Random(8, 12, 8, 5, scale: 0.7);
        using var generator = new Generator(6);
        using var rows = randperm(8, generator: generator);
        using var times = randperm(12, generator: generator);
        using var shuffled = z.index_select(0, rows).index_select(1, times);

        using var identical = Ts2VecLoss.Hierarchical(z, z);
        using var mismatched = Ts2VecLoss.Hierarchical(z, shuffled);

        Assert.True(identical.item<double>() < mismatched.item<double>() - 0.5, $"identical {identical.item<double>()}, shuffled {mismatched.item<double>()}");
    }

    [Fact]
    public void Hierarchical_Gradient_ReachesBothViewsAndIsFinite()
    {
        using var z1 = Random(4, 6, 3, 7).requires_grad_(true);
        using var z2 = Random(4, 6, 3, 8).requires_grad_(true);
        using var loss = Ts2VecLoss.Hierarchical(z1, z2);
        loss.backward();
        foreach (var g in new[] { z1.grad!, z2.grad! })
        {
            var values = g.data<double>().ToArray();
            Assert.All(values, v => Assert.True(double.IsFinite(v)));
            Assert.Contains(values, v => v != 0);
        }
    }
}
