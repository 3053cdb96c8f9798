namespace Kairos.Serve;

/// <summary>
/// One pass of <c>kairos bench serve</c> over the bars: requests of <see cref="BatchSize"/> bars; per-bar end-to-end latency
/// (the request's round trip over loopback divided by its bars; one bar per request: the round trip itself) in µs; the
/// server's RSS and GC heap after warm-up and at the end; requests that did not answer 200.
/// </summary>
public sealed record ServeBenchmarkPhase
{
    public required int BatchSize { get; init; }
    public required long Bars { get; init; }
    public required long WarmupBars { get; init; }
    public required long Requests { get; init; }
    public required long Errors { get; init; }
    public required double Seconds { get; init; }
    public required double BarsPerSecond { get; init; }
    public required double P50Us { get; init; }
    public required double P99Us { get; init; }
    public required double MeanUs { get; init; }
    /// <summary>The server's own time per bar (its <c>latency_us</c>): p50 and p99.</summary>
    public required double ServerP50Us { get; init; }
    public required double ServerP99Us { get; init; }
    public required long RssAfterWarmupBytes { get; init; }
    public required long RssEndBytes { get; init; }
    public required long GcHeapAfterWarmupBytes { get; init; }
    public required long GcHeapEndBytes { get; init; }
    public required long GcCommittedAfterWarmupBytes { get; init; }
    public required long GcCommittedEndBytes { get; init; }
    public double RssGrowthMb => (RssEndBytes - RssAfterWarmupBytes) / 1048576.0;
    public double GcHeapGrowthMb => (GcHeapEndBytes - GcHeapAfterWarmupBytes) / 1048576.0;
}
