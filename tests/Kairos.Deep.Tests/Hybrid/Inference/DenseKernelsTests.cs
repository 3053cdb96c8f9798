using Kairos.Deep.Hybrid.Inference;

namespace Kairos.Deep.Tests.Hybrid.Inference;

public class DenseKernelsTests
{
    public static TheoryData<int> Widths => new() { 512, 256, 1 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void MatMul_OddShapesAndColumnWindows_EqualTheDoubleReference(int width)
    {
        var random = new Random(7);
        foreach (var (rows, k, n, column, ldw) in new[] { (1, 1, 1, 0, 1), (1, 128, 128, 0, 384), (3, 5, 70, 3, 80), (4, 16, 64, 0, 64), (7, 13, 33, 10, 50), (30, 128, 384, 0, 384), (30, 16, 17, 1, 40), (2, 9, 16, 48, 64) })
        {
            var ldx = k + 2;
            var ldy = n + 3;
            var x = Draw(random, (rows - 1) * ldx + k);
            var w = Draw(random, (k - 1) * ldw + ldw);
            var bias = Draw(random, n);
            var y = new float[(rows - 1) * ldy + n];
            Array.Fill(y, float.NaN);

            DenseKernels.MatMul(width, x, rows, k, ldx, w, ldw, column, n, bias, y, ldy);

            for (var r = 0; r < rows; r++)
                for (var c = 0; c < n; c++)
                {
                    double expected = bias[c];
                    for (var i = 0; i < k; i++) expected += (double)x[r * ldx + i] * w[i * ldw + column + c];
                    Assert.True(Math.Abs(y[r * ldy + c] - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"rows {rows} k {k} n {n}: y[{r},{c}] = {y[r * ldy + c]}, expected {expected}");
                }
            for (var r = 0; r < rows - 1; r++)
                for (var c = n; c < ldy; c++) Assert.True(float.IsNaN(y[r * ldy + c]), $"wrote past column {n} in row {r}");
        }
    }

    [Fact]
    public void MatMul_WithoutBias_IsThePlainProduct()
    {
        float[] x = [1, 2, 3, 4];
        float[] w = [1, 0, 2, 0, 1, 3];
        var y = new float[6];

        DenseKernels.MatMul(DenseKernels.BestWidth, x, 2, 2, 2, w, 3, 0, 3, [], y, 3);

        Assert.Equal([1f, 2, 8, 3, 4, 18], y);
    }

    [Fact]
    public void MatMul_ColumnsOutsideTheWeights_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => DenseKernels.MatMul(512, new float[4], 1, 4, 4, new float[16], 4, 2, 3, [], new float[3], 3));

        Assert.Contains("no columns [2, 5)", e.Message);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(-1.0, 1.842700792949715)]
    [InlineData(2.0, 0.004677734981047265)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(4.7367, 2.1027404126997803e-11)]
    [InlineData(6.0, 2.1519736712498916e-17)]
    public void Erfc_KnownValues_WithinTheFitsRelativeError(double x, double expected)
    {
        var relative = Math.Abs(DenseKernels.Erfc(x) - expected) / expected;

        Assert.True(relative < 1.2e-7, $"erfc({x}) = {DenseKernels.Erfc(x)}, expected {expected} (relative error {relative})");
    }

    [Fact]
    public void Gelu_DenseGrid_WithinTwoFloatUlpsOfTheDoubleReference()
    {
        var xs = Enumerable.Range(-6000, 12001).Select(i => i / 500f).ToArray();
        var values = xs.ToArray();

        DenseKernels.Gelu(values);

        for (var i = 0; i < xs.Length; i++)
        {
            var expected = 0.5 * xs[i] * ReferenceErfc(-xs[i] / Math.Sqrt(2));
            Assert.True(Math.Abs(values[i] - expected) <= 2.5e-7 * Math.Abs(expected) + 1e-30, $"gelu({xs[i]}) = {values[i]}, expected {expected}");
        }
    }

    /// <summary>
    /// erfc to about 1e-15, the test's oracle: 1 - erf by erf's all-positive series for |t| &lt;= 3, beyond it the continued
    /// fraction of erfc (no cancellation in the far tail).
    /// </summary>
    private static double ReferenceErfc(double t)
    {
        var a = Math.Abs(t);
        if (a <= 3.0)
        {
            double term = a, sum = a;
            for (var n = 1; n < 400 && term >= sum * 1e-17; n++)
            {
                term *= 2.0 * a * a / (2 * n + 1);
                sum += term;
            }
            var erf = 2.0 / Math.Sqrt(Math.PI) * Math.Exp(-a * a) * sum;
            return t < 0 ? 1.0 + erf : 1.0 - erf;
        }
        var fraction = a;
        for (var n = 200; n >= 1; n--) fraction = a + n / 2.0 / fraction;
        var tail = Math.Exp(-a * a) / Math.Sqrt(Math.PI) / fraction;
        return t < 0 ? 2.0 - tail : tail;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Softmax_Row_SumsToOneAndMatchesTheDoubleReference(int width)
    {
        var random = new Random(2);
        foreach (var n in new[] { 1, 7, 16, 30, 33 })
        {
            var row = Draw(random, n).Select(v => v * 20).ToArray();
            var max = row.Max();
            var denominator = row.Sum(v => Math.Exp(v - max));
            var expected = row.Select(v => Math.Exp(v - max) / denominator).ToArray();

            DenseKernels.Softmax(width, row);

            for (var i = 0; i < n; i++) Assert.Equal(expected[i], row[i], 1e-6);
        }
    }

    [Fact]
    public void AddLayerNorm_ResidualRow_ZeroMeanUnitVarianceBeforeTheAffine()
    {
        float[] a = [1, 2, 3, 4];
        float[] b = [1, 1, 1, 1];
        float[] gamma = [1, 1, 2, 1];
        float[] beta = [0, 0, 0, 10];
        var y = new float[4];

        DenseKernels.AddLayerNorm(a, b, gamma, beta, 1e-5, y);

        var sd = Math.Sqrt(1.25 + 1e-5);
        Assert.Equal(-1.5 / sd, y[0], 1e-6);
        Assert.Equal(-0.5 / sd, y[1], 1e-6);
        Assert.Equal(2 * 0.5 / sd, y[2], 1e-6);
        Assert.Equal(1.5 / sd + 10, y[3], 1e-5);
    }

    private static float[] Draw(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
