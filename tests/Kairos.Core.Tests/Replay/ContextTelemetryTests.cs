using Kairos.Replay;

namespace Kairos.Tests.Replay;

public class ContextTelemetryTests
{
    private static (double[] P, int[] Session, int[] Vol, int[] Trend) Sample(int n, double sessionEffect, int seed)
    {
        var random = new Random(seed);
        var p = new double[n];
        var session = new int[n];
        var vol = new int[n];
        var trend = new int[n];
        for (var i = 0; i < n; i++)
        {
            session[i] = i / 12 % 4;
            vol[i] = random.Next(4);
            trend[i] = random.Next(3);
            p[i] = 0.5 + sessionEffect * (session[i] - 1.5) + (random.NextDouble() - 0.5) * 0.1;
        }
        return (p, session, vol, trend);
    }

    [Fact]
    public void Compute_PLongDependsOnSession_SessionTestSaysItUsesContext()
    {
        var (p, s, v, t) = Sample(4800, 0.02, 7);

        var telemetry = ContextTelemetry.Compute(p, s, v, t, new ReplayOptions { Permutations = 199 });

        var test = telemetry.Session.Test!;
        Assert.True(test.UsesContext);
        Assert.Equal(1.0 / 200, test.PValue, 12);
        // Between-bucket variance 0.0005 against noise variance 0.1^2 / 12: eta squared about 0.375.
        Assert.InRange(test.EtaSquared, 0.34, 0.41);
        Assert.True(test.Statistic > 10 * test.PermutationP95);
        Assert.Equal(0.06, test.MaxMeanGap, 2);
        Assert.False(telemetry.VolRegime.Test!.UsesContext);
        Assert.False(telemetry.TrendRegime.Test!.UsesContext);
        Assert.True(telemetry.UsesContext);
        Assert.Equal(1200, telemetry.Session.Buckets[0].PLong.Count);
    }

    [Fact]
    public void Compute_PLongIgnoresContext_NoGroupingUsesIt()
    {
        var (p, s, v, t) = Sample(4000, 0.0, 11);

        var telemetry = ContextTelemetry.Compute(p, s, v, t, new ReplayOptions { Permutations = 199 });

        Assert.False(telemetry.UsesContext);
        Assert.All(telemetry.Groupings, g => Assert.True(g.Test!.PValue > 0.01, $"{g.Name} p = {g.Test.PValue}"));
        Assert.All(telemetry.Groupings, g => Assert.True(g.Test!.EtaSquared < 0.01));
    }

    [Fact]
    public void Compute_SameSeed_SameBaseline()
    {
        var (p, s, v, t) = Sample(500, 0.001, 3);
        var options = new ReplayOptions { Permutations = 99, Seed = 42 };

        var first = ContextTelemetry.Compute(p, s, v, t, options);
        var second = ContextTelemetry.Compute(p, s, v, t, options);
        var other = ContextTelemetry.Compute(p, s, v, t, options with { Seed = 43 });

        Assert.Equal(first.Session.Test, second.Session.Test);
        Assert.NotEqual(first.Session.Test!.PermutationMean, other.Session.Test!.PermutationMean);
        Assert.Equal(43, other.Session.Test.Seed);
        Assert.Equal(44, other.VolRegime.Test!.Seed);
    }

    [Fact]
    public void Compute_HandComputedStatistic()
    {
        // Means 1.5 and 3.5 around 2.5: between variance (2*1 + 2*1) / 4 = 1; total variance 1.25.
        var telemetry = ContextTelemetry.Compute([1, 2, 3, 4], [0, 0, 1, 1], [0, 0, 0, 0], [0, 1, 2, 0], new ReplayOptions { Permutations = 99 });

        Assert.Equal(1.0, telemetry.Session.Test!.Statistic, 12);
        Assert.Equal(0.8, telemetry.Session.Test.EtaSquared, 12);
        Assert.Equal(2.0, telemetry.Session.Test.MaxMeanGap, 12);
        Assert.Null(telemetry.VolRegime.Test);
        Assert.Contains("fewer than two", telemetry.VolRegime.Note);
        Assert.Equal(0, telemetry.Session.Buckets[3].PLong.Count);
    }
}
