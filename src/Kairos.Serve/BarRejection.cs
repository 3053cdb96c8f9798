namespace Kairos.Serve;

/// <summary>A refused bar: the ingestion rule it breaks, the field, what is wrong, and which bar (index in the request, time, symbol).</summary>
public sealed record BarRejection(string Rule, string? Field, string Detail, int Index, string? Time, string? Symbol);
