namespace Kairos.Serve;

/// <summary>
/// The answer for one closed bar: <c>long</c>, <c>short</c> or <c>none</c>; <c>p_long</c> (null when the bar is not a
/// candidate: not eligible, or out of distribution), eligibility and the reason a bar did not become an entry (its eligibility reason, <c>below_threshold</c> or
/// <c>position_open</c>; null for an entry), the bar's context, the model that decided and the scoring time.
/// </summary>
public sealed record ServeDecision
{
    public required string Time { get; init; }
    public required string Symbol { get; init; }
    public required string Decision { get; init; }
    public double? PLong { get; init; }
    public required bool Eligible { get; init; }
    public string? Reason { get; init; }
    public required DecisionContext Context { get; init; }
    /// <summary>The bar's distance from the bundle's training inputs (the out-of-distribution guard), null when not measured.</summary>
    public double? InputDistance { get; init; }
    public required DecisionModel Model { get; init; }
    public long LatencyUs { get; init; }
}
