namespace Kairos.Evaluation.Statistics;

/// <summary>
/// Student's t distribution with an integer number of degrees of freedom, exactly (Abramowitz and Stegun 26.7.3 and
/// 26.7.4: the finite trigonometric series of P(|T| &lt;= t)), and its two-sided quantile by bisection. For paired
/// intervals over a few seeds, where the normal quantile would be far too narrow.
/// </summary>
public static class StudentT
{
    /// <summary>P(-t &lt;= T &lt;= t) for <paramref name="degreesOfFreedom"/> &gt;= 1 and t &gt;= 0.</summary>
    public static double CentralProbability(double t, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (double.IsNaN(t)) return double.NaN;
        if (t <= 0) return 0;
        if (double.IsPositiveInfinity(t)) return 1;
        var theta = Math.Atan(t / Math.Sqrt(degreesOfFreedom));
        var cos2 = Math.Cos(theta) * Math.Cos(theta);
        if (degreesOfFreedom % 2 == 0)
        {
            double term = 1, sum = 1;
            for (var k = 2; k <= degreesOfFreedom - 2; k += 2)
            {
                term *= (k - 1.0) / k * cos2;
                sum += term;
            }
            return Math.Sin(theta) * sum;
        }
        if (degreesOfFreedom == 1) return 2 * theta / Math.PI;
        double odd = Math.Cos(theta), oddSum = odd;
        for (var k = 3; k <= degreesOfFreedom - 2; k += 2)
        {
            odd *= (k - 1.0) / k * cos2;
            oddSum += odd;
        }
        return 2 / Math.PI * (theta + Math.Sin(theta) * oddSum);
    }

    /// <summary>The t with P(|T| &lt;= t) = <paramref name="confidence"/> (e.g. 0.95 gives the 0.975 quantile).</summary>
    public static double TwoSidedQuantile(double confidence, int degreesOfFreedom)
    {
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), $"confidence must be in (0, 1) (got {confidence})");
        double low = 0, high = 1;
        while (CentralProbability(high, degreesOfFreedom) < confidence) high *= 2;
        for (var i = 0; i < 200 && high - low > 1e-13 * high; i++)
        {
            var mid = 0.5 * (low + high);
            if (CentralProbability(mid, degreesOfFreedom) < confidence) low = mid;
            else high = mid;
        }
        return 0.5 * (low + high);
    }
}
