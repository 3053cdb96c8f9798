using System.Globalization;

namespace Kairos.Search;

/// <summary>An integer parameter in [Low, High] (both inclusive), uniform or (Log) log-uniform as prior.</summary>
public sealed record IntDistribution(long Low, long High, bool Log) : ParamDistribution
{
    public override bool Contains(double internalValue) =>
        internalValue >= Low && internalValue <= High && internalValue == Math.Round(internalValue);

    public override string Format(double internalValue) => ((long)internalValue).ToString(CultureInfo.InvariantCulture);

    public override IReadOnlyList<string> Problems(string name)
    {
        var problems = new List<string>();
        if (Low > High) problems.Add($"{name}: low {Low} is above high {High}");
        if (Log && Low < 1) problems.Add($"{name}: a log-scaled integer range needs low >= 1 (got {Low})");
        return problems;
    }
}
