namespace Kairos.Bundles;

/// <summary>The design notes' latency block: full inference path per bar, in milliseconds.</summary>
public sealed record ModelCardLatency
{
    public required double Mean { get; init; }
    public required double P50 { get; init; }
    public required double P95 { get; init; }
    public required double P99 { get; init; }
    public required int Samples { get; init; }
}
