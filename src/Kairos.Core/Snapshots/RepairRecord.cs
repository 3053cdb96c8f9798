namespace Kairos.Snapshots;

/// <summary>One row changed by <c>--repair</c>: where it was, which rule it broke, what was done.</summary>
/// <param name="File">Source file name.</param>
/// <param name="Line">1-based line (CSV) or row (Parquet) in the source file.</param>
/// <param name="Column">Column that broke the rule, when one did.</param>
/// <param name="Rule">Rule name, as in error messages (for example <c>duplicate-time</c>).</param>
/// <param name="Action">What was done: always <c>dropped</c> (a duplicate keeps its first occurrence).</param>
/// <param name="Detail">Human-readable explanation.</param>
public sealed record RepairRecord(string File, long Line, string? Column, string Rule, string Action, string Detail);
