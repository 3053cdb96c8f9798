namespace Kairos.Calibration;

/// <summary>
/// Platt scaling: <c>p = 1 / (1 + exp(A * score + B))</c>. Fitted as scikit-learn's
/// <c>_sigmoid_calibration</c> does: Platt's smoothed targets <c>(N+ + 1) / (N+ + 2)</c> for positives and
/// <c>1 / (N- + 2)</c> for negatives, cross-entropy minimised from <c>(0, log((N- + 1) / (N+ + 1)))</c>.
/// scikit-learn stops BFGS at a gradient norm of 1e-5; we run a damped Newton method to the exact optimum,
/// so the two agree to well within 1e-4.
/// </summary>
public sealed class PlattCalibrator : ICalibrator
{
    private const int MaxIterations = 200;
    private const double Ridge = 1e-12;

    public PlattCalibrator(double a, double b, int sampleCount, int positiveCount)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b))
            throw new ArgumentException($"Platt parameters must be finite (a = {a}, b = {b}).");
        A = a;
        B = b;
        SampleCount = sampleCount;
        PositiveCount = positiveCount;
    }

    /// <summary>Slope: negative when higher scores mean higher probability.</summary>
    public double A { get; }

    /// <summary>Intercept.</summary>
    public double B { get; }

    public CalibrationMethod Method => CalibrationMethod.Platt;
    public int SampleCount { get; }
    public int PositiveCount { get; }

    public double Apply(double score) => Sigmoid(A * CalibrationInput.CheckScore(score) + B);

    /// <summary>Fits (A, B) on scores and 0/1 labels.</summary>
    public static PlattCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        var positives = CalibrationInput.Validate(scores, labels);
        var n = scores.Length;
        double prior1 = positives, prior0 = n - positives;
        var targetPositive = (prior1 + 1.0) / (prior1 + 2.0);
        var targetNegative = 1.0 / (prior0 + 2.0);
        var targets = new double[n];
        for (var i = 0; i < n; i++)
            targets[i] = labels[i] > 0 ? targetPositive : targetNegative;

        double a = 0.0, b = Math.Log((prior0 + 1.0) / (prior1 + 1.0));
        var f = Objective(scores, targets, a, b);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            // Gradient and Hessian of sum_i [t_i * log(1 + e^z_i) + (1 - t_i) * log(1 + e^-z_i)], z = a*s + b.
            double ga = 0, gb = 0, haa = Ridge, hab = 0, hbb = Ridge;
            for (var i = 0; i < n; i++)
            {
                var s = scores[i];
                var p = Sigmoid(a * s + b);
                var d = targets[i] - p;
                ga += d * s;
                gb += d;
                var w = p * (1.0 - p);
                haa += w * s * s;
                hab += w * s;
                hbb += w;
            }
            if (Math.Sqrt(ga * ga + gb * gb) < 1e-12 * n)
                break;
            var det = haa * hbb - hab * hab;
            var da = -(hbb * ga - hab * gb) / det;
            var db = -(haa * gb - hab * ga) / det;
            var descent = ga * da + gb * db;
            var step = 1.0;
            double na = a + da, nb = b + db, nf = Objective(scores, targets, na, nb);
            while (nf > f + 1e-4 * step * descent && step >= 1e-10)
            {
                step /= 2;
                na = a + step * da;
                nb = b + step * db;
                nf = Objective(scores, targets, na, nb);
            }
            if (nf > f)
                break;
            var moved = Math.Abs(na - a) + Math.Abs(nb - b);
            a = na;
            b = nb;
            f = nf;
            if (moved < 1e-15 * (1 + Math.Abs(a) + Math.Abs(b)))
                break;
        }
        return new PlattCalibrator(a, b, n, positives);
    }

    private static double Objective(ReadOnlySpan<double> scores, double[] targets, double a, double b)
    {
        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            var z = a * scores[i] + b;
            sum += targets[i] * Log1PExp(z) + (1 - targets[i]) * Log1PExp(-z);
        }
        return sum;
    }

    /// <summary>log(1 + e^x) without overflow.</summary>
    private static double Log1PExp(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    /// <summary>1 / (1 + e^z), stable for large |z|.</summary>
    private static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            var e = Math.Exp(-z);
            return e / (1 + e);
        }
        return 1 / (1 + Math.Exp(z));
    }
}
