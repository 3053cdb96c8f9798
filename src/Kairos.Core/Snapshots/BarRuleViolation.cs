namespace Kairos.Snapshots;

/// <summary>An ingestion rule one bar breaks: the rule's name (<c>high-below-low</c>), the field and what is wrong.</summary>
public sealed record BarRuleViolation(string Rule, string? Field, string Detail);
