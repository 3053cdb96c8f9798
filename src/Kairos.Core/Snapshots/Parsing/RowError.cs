namespace Kairos.Snapshots.Parsing;

/// <summary>A broken rule found in one row; allocated only when a row is bad.</summary>
internal sealed class RowError(string rule, string? column, string detail)
{
    public string Rule { get; } = rule;
    public string? Column { get; } = column;
    public string Detail { get; } = detail;
}
