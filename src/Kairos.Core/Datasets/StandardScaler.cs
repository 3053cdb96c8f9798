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
        for (var c = 0; c < names.Count; c++) (mean[c], std[c]) = FitColumn(columns[c], rows);
        return new StandardScaler(names, mean, std);
    }

    /// <summary>
    /// Mean and standard deviation of <paramref name="column"/>[rows] by Welford's single pass, in row
    /// order (so a column fitted alone gives the same bits as in <see cref="Fit"/>).
    /// </summary>
    public static (double Mean, double Std) FitColumn(double[] column, ReadOnlySpan<int> rows)
    {
        var moments = new RunningMoments();
        foreach (var r in rows) moments.Add(column[r]);
        return moments.Result();
    }

    public double Transform(int column, double x) => (x - Mean[column]) / Std[column];
}
