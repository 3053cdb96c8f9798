namespace Kairos.Deep.Lstm;

/// <summary>Mean, sample standard deviation, minimum and maximum of one metric over the seeds.</summary>
public sealed record MetricSpread(double Mean, double Std, double Min, double Max)
{
    public static MetricSpread Of(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new MetricSpread(mean, std, values.Min(), values.Max());
    }
}
