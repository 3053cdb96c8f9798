namespace Kairos.Serve;

/// <summary>
/// <c>GET /v1/status</c>: <c>starting</c> (warm-up), <c>ok</c>, <c>degraded</c> (a stale feed) or <c>draining</c>; the model
/// in service, per-symbol state, bars scored, uptime, journal records, process memory.
/// </summary>
public sealed record ServeStatus
{
    public required string Status { get; init; }
    public required DecisionModel Model { get; init; }
    public required string PLongSource { get; init; }

    /// <summary>Why that model gives <c>p_long</c>: <c>--p-long trees</c>, or auto and what the bundle records.</summary>
    public string? PLongReason { get; init; }
    /// <summary>What computes the hybrid forward (<c>managed</c>, <c>libtorch</c>, <c>onnx</c>); null when p_long comes from the trees.</summary>
    public string? HybridEngine { get; init; }
    /// <summary>What scores the trees: <c>lightgbm</c>, or <c>onnx</c> with <c>--engine onnx</c>.</summary>
    public string TreesEngine { get; init; } = "lightgbm";
    public required IReadOnlyList<SymbolStatus> Symbols { get; init; }
    public required long BarsScored { get; init; }
    public required long BarsAccepted { get; init; }
    public required long BarsRefused { get; init; }
    public required double UptimeSeconds { get; init; }
    public required string StartedAt { get; init; }
    public long JournalRecords { get; init; }
    public long ModelSwaps { get; init; }
    public long RssBytes { get; init; }
    public long GcHeapBytes { get; init; }
    /// <summary>Memory the GC has committed (heap, free regions it keeps, bookkeeping).</summary>
    public long GcCommittedBytes { get; init; }
}
