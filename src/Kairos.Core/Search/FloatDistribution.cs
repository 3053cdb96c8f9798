using System.Globalization;

namespace Kairos.Search;

/// <summary>A real parameter in [Low, High], uniform or (Log) log-uniform as prior.</summary>
public sealed record FloatDistribution(double Low, double High, bool Log) : ParamDistribution
{
    public override bool Contains(double internalValue) => internalValue >= Low && internalValue <= High;

    public override string Format(double internalValue) => internalValue.ToString("R", CultureInfo.InvariantCulture);

    public override IReadOnlyList<string> Problems(string name)
    {
        var problems = new List<string>();
        if (!double.IsFinite(Low) || !double.IsFinite(High)) problems.Add($"{name}: bounds must be finite (got [{Low}, {High}])");
        else if (Low > High) problems.Add($"{name}: low {Low} is above high {High}");
        if (Log && !(Low > 0)) problems.Add($"{name}: a log-scaled range needs low > 0 (got {Low})");
        return problems;
    }
}
