namespace Kairos.Search;

/// <summary>One of a fixed list of choices (internal value: the index of the choice).</summary>
public sealed record CategoricalDistribution(IReadOnlyList<string> Choices) : ParamDistribution
{
    public override bool Contains(double internalValue) =>
        internalValue >= 0 && internalValue < Choices.Count && internalValue == Math.Round(internalValue);

    public override string Format(double internalValue) => Choices[(int)internalValue];

    public override IReadOnlyList<string> Problems(string name)
    {
        var problems = new List<string>();
        if (Choices.Count == 0) problems.Add($"{name}: no choices");
        if (Choices.Distinct(StringComparer.Ordinal).Count() != Choices.Count) problems.Add($"{name}: duplicate choices");
        return problems;
    }

    public bool Equals(CategoricalDistribution? other) =>
        other is not null && Choices.SequenceEqual(other.Choices, StringComparer.Ordinal);

    public override int GetHashCode() => Choices.Aggregate(17, (h, c) => h * 31 + StringComparer.Ordinal.GetHashCode(c));
}
