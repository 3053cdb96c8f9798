namespace Kairos.Datasets;

/// <summary>
/// Z-score scaler state for named columns: (x - mean) / std. Fitted on training rows only (NaN and
/// infinite values ignored); a column with zero or undefined spread gets std 1 so it scales to x - mean.
/// </summary>
public sealed record StandardScaler(IReadOnlyList<string> Names, IReadOnlyList<double> Mean, IReadOnlyList<double> Std)
{
    /// <summary>Fits column <c>c</c> from <paramref name="columns"/>[c] over <paramref name="rows"/>.</summary>
    public static StandardScaler Fit(IReadOnlyList<string> names, IReadOnlyList<double[]> columns, ReadOnlySpan<int> rows)
    {
        var mean = new double[names.Count];
        var std = new double[names.Count];
        for (var c = 0; c < names.Count; c++)
        {
            var col = columns[c];
            double m = 0, m2 = 0;
            long n = 0;
            foreach (var r in rows)
            {
                var x = col[r];
                if (!double.IsFinite(x)) continue;
                n++;
                var d = x - m;
                m += d / n;
                m2 += d * (x - m);
            }
            mean[c] = n == 0 ? 0 : m;
            var sd = n > 1 ? Math.Sqrt(m2 / (n - 1)) : 0;
            std[c] = sd > 0 && double.IsFinite(sd) ? sd : 1;
        }
        return new StandardScaler(names, mean, std);
    }

    public double Transform(int column, double x) => (x - Mean[column]) / Std[column];
}
