namespace Kairos.Errors;

/// <summary>One bad row of an input file: its line (or, in Parquet, its 1-based row), the field, the rule broken and what is wrong.</summary>
public sealed record RowProblem(long Line, string Field, string Rule, string Detail)
{
    public override string ToString() => $"line {Line}, {Field}: [{Rule}] {Detail}";
}
