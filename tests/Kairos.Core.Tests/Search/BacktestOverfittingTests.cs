using System.Diagnostics;
using Kairos.Search;
using Xunit.Abstractions;
using Kairos.Evaluation.Statistics;

namespace Kairos.Tests.Search;

public class BacktestOverfittingTests(ITestOutputHelper output)
{
    private static double[][] Matrix(int blocks, int trials, Func<int, int, double> value) =>
        Enumerable.Range(0, blocks).Select(b => Enumerable.Range(0, trials).Select(k => value(b, k)).ToArray()).ToArray();

    private static double[][] Noise(int blocks, int trials, int seed)
    {
        var random = new Random(seed);
        return Matrix(blocks, trials, (_, _) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
    }

    [Fact]
    public void Compute_OneTrialBestInEveryBlock_PboZero()
    {
        var random = new Random(5);
        // Trial 3 beats every other trial in every block, so it is selected in sample and ranks N of N out of sample.
        var m = Matrix(8, 10, (_, k) => k == 3 ? 2 + random.NextDouble() : random.NextDouble());

        var r = BacktestOverfitting.Compute(m);

        Assert.Equal(70, r.Splits);
        Assert.Equal(0, r.Pbo);
        var top = Math.Log(10.0 / 11 / (1 - 10.0 / 11));
        Assert.All(r.Logits, l => Assert.Equal(top, l, 12));
        Assert.Equal(0, r.ProbabilityOfLoss);
    }

    [Fact]
    public void Compute_FourBlocksThreeTrials_HandComputedLogits()
    {
        // blocks x trials (A, B, C). Splits in mask order: IS {0,1}, {0,2}, {1,2}, {0,3}, {1,3}, {2,3}.
        double[][] m = [[4, 1, 2], [3, 2, 1], [0, 3, 2], [1, 5, 0]];
        // IS sums and the selected trial, OOS sums and its rank (mid-rank on ties), ω = rank / 4:
        // {0,1}: A7 B3 C3 -> A; OOS A1 B8 C2: rank 1 -> ln(1/3)
        // {0,2}: A4 B4 C4 -> A (lowest index); OOS A4 B7 C1: rank 2 -> 0
        // {1,2}: A3 B5 C3 -> B; OOS A5 B6 C2: rank 3 -> ln 3
        // {0,3}: A5 B6 C2 -> B; OOS A3 B5 C3: rank 3 -> ln 3
        // {1,3}: A4 B7 C1 -> B; OOS A4 B4 C4: rank 2 -> 0
        // {2,3}: A1 B8 C2 -> B; OOS A7 B3 C3: tied with C, rank 1.5 -> ln(0.375 / 0.625)
        double[] expected = [Math.Log(1.0 / 3), 0, Math.Log(3), Math.Log(3), 0, Math.Log(0.6)];

        var r = BacktestOverfitting.Compute(m);

        Assert.Equal(6, r.Splits);
        Assert.Equal(expected.Length, r.Logits.Count);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], r.Logits[i], 12);
        Assert.Equal(4.0 / 6, r.Pbo, 12);
        Assert.Equal(expected.Average(), r.MeanLogit, 12);
        // Selected trial's IS / OOS sums per split: X = (7, 4, 5, 6, 7, 8), Y = (1, 4, 6, 5, 4, 3) (means are half):
        // Sxy = 135 - 37 * 23 / 6 = -41/6, Sxx = 239 - 37^2 / 6 = 65/6, slope = -41/65.
        Assert.Equal(-41.0 / 65, r.DegradationSlope!.Value, 12);
        Assert.Equal(23.0 / 12 - (-41.0 / 65) * 37.0 / 12, r.DegradationIntercept!.Value, 12);
        Assert.Equal(37.0 / 12, r.MeanInSample, 12);
        Assert.Equal(23.0 / 12, r.MeanOutOfSample, 12);
        Assert.Equal(0, r.ProbabilityOfLoss);
    }

    [Fact]
    public void Compute_ShiftedMatrix_SameLogitsAndLossWhereOosMeanIsNegative()
    {
        double[][] m = [[4, 1, 2], [3, 2, 1], [0, 3, 2], [1, 5, 0]];
        var shifted = m.Select(row => row.Select(v => v - 2).ToArray()).ToArray();

        var a = BacktestOverfitting.Compute(m);
        var b = BacktestOverfitting.Compute(shifted);

        Assert.Equal(a.Logits, b.Logits);
        // OOS means of the selected trial minus 2: (-1.5, 0, 1, 0.5, 0, -0.5): two of six below zero.
        Assert.Equal(2.0 / 6, b.ProbabilityOfLoss, 12);
    }

    [Fact]
    public void Compute_PureNoise_PboNearOneHalf()
    {
        // With i.i.d. trials the selected trial's OOS rank is uniform on 1..N in every split, so E[PBO] = P(rank <= N/2) = 1/2
        // for even N. The 12,870 splits of one matrix share its 16 blocks and are far from independent, so one matrix's PBO
        // varies much more than a binomial over 12,870 draws would (sd 0.0044): its spread across matrices of this design
        // (16 blocks x 50 trials), measured over 200 other seeds, is sd 0.17 (mean 0.501). The mean of 100 independent
        // matrices then has sd 0.17 / sqrt(100) = 0.017: the band is 4 sd.
        var pbos = Enumerable.Range(0, 100).Select(seed => BacktestOverfitting.Compute(Noise(16, 50, 1000 + seed)).Pbo).ToArray();

        Assert.All(pbos, p => Assert.InRange(p, 0, 1));
        Assert.InRange(pbos.Average(), 0.5 - 0.068, 0.5 + 0.068);
    }

    [Fact]
    public void Compute_200TrialsBy16Blocks_DeterministicAndWellUnderASecond()
    {
        var m = Noise(16, 200, 7);
        BacktestOverfitting.Compute(m);

        var clock = Stopwatch.StartNew();
        var r = BacktestOverfitting.Compute(m);
        var seconds = clock.Elapsed.TotalSeconds;

        output.WriteLine($"CSCV of 200 trials x 16 blocks (12,870 splits): {seconds * 1000:F1} ms");
        Assert.Equal(12_870, r.Splits);
        Assert.Equal(r.Logits, BacktestOverfitting.Compute(m).Logits);
        Assert.True(seconds < 1, $"CSCV of 200 trials x 16 blocks took {seconds:F3} s");
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(0, 4)]
    [InlineData(26, 4)]
    [InlineData(4, 1)]
    public void Compute_BadShape_ThrowsNamingTheRule(int blocks, int trials)
    {
        var e = Assert.Throws<ArgumentException>(() => BacktestOverfitting.Compute(blocks == 0 ? [] : Matrix(blocks, trials, (b, k) => b + k)));
        Assert.Contains(trials < 2 ? "at least 2 trials" : "even number of blocks", e.Message);
    }
}
