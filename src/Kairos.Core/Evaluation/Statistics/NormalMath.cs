namespace Kairos.Evaluation.Statistics;

/// <summary>
/// Standard normal functions in double precision without tables: erf by its positive-term series
/// below 2 and erfc by its continued fraction (modified Lentz) above, the quantile by Acklam's
/// rational approximation refined with one Halley step.
/// </summary>
internal static class NormalMath
{
    private const double SqrtPi = 1.7724538509055160273;
    private const double Sqrt2 = 1.4142135623730950488;
    private const double LogSqrt2Pi = 0.91893853320467274178;

    /// <summary>Standard normal CDF.</summary>
    public static double Cdf(double z) =>
        z < 0 ? 0.5 * Erfc(-z / Sqrt2) : 1.0 - 0.5 * Erfc(z / Sqrt2);

    /// <summary>Standard normal upper tail, 1 - CDF, accurate far into the tail.</summary>
    public static double UpperTail(double z) => z < 0 ? 1.0 - 0.5 * Erfc(-z / Sqrt2) : 0.5 * Erfc(z / Sqrt2);

    /// <summary>Log of the standard normal density.</summary>
    public static double LogPdf(double z) => -0.5 * z * z - LogSqrt2Pi;

    /// <summary>Complementary error function for any real argument.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return 2.0 - Erfc(-x);
        if (x < 2.0) return 1.0 - ErfSeries(x);
        if (x > 27.3) return 0.0;
        return Math.Exp(-x * x) / (SqrtPi * ContinuedFraction(x));
    }

    /// <summary>Log of erfc(x) for x &gt;= 0, finite even where erfc underflows.</summary>
    public static double LogErfc(double x)
    {
        if (x < 2.0) return Math.Log(Erfc(x));
        return -x * x - Math.Log(SqrtPi * ContinuedFraction(x));
    }

    /// <summary>Log of the standard normal probability of the interval [a, b].</summary>
    public static double LogMassBetween(double a, double b)
    {
        if (!(b > a)) return double.NegativeInfinity;
        if (a >= 0)
        {
            // Both in the upper tail: difference of upper tails in log space.
            var la = LogUpperTail(a);
            var lb = LogUpperTail(b);
            return la + Math.Log(-double.ExpM1(lb - la));
        }
        if (b <= 0) return LogMassBetween(-b, -a);
        return Math.Log(1.0 - UpperTail(b) - UpperTail(-a));
    }

    /// <summary>Standard normal quantile (inverse CDF) for p in (0, 1).</summary>
    public static double Quantile(double p)
    {
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return double.PositiveInfinity;
        const double pLow = 0.02425;
        double x;
        if (p < pLow)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
                ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        else if (p <= 1 - pLow)
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
                (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
                ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        // One Halley step against the accurate CDF brings the error to machine precision.
        var e = Cdf(x) - p;
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    private static double LogUpperTail(double z) => Math.Log(0.5) + LogErfc(z / Sqrt2);

    private static double ErfSeries(double x)
    {
        // erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)): every term positive.
        var term = x;
        var sum = x;
        var x2 = 2 * x * x;
        for (var n = 1; n < 200; n++)
        {
            term *= x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return 2.0 / SqrtPi * Math.Exp(-x * x) * sum;
    }

    private static double ContinuedFraction(double x)
    {
        // x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))) evaluated by the modified Lentz method.
        const double tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var n = 1; n < 500; n++)
        {
            var a = n / 2.0;
            d = x + a * d;
            if (Math.Abs(d) < tiny) d = tiny;
            c = x + a / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1.0 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16) break;
        }
        return f;
    }

    private static readonly double[] A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
}
