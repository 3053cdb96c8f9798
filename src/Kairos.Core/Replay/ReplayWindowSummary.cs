namespace Kairos.Replay;

/// <summary>The window asked for and the bars actually streamed.</summary>
public sealed record ReplayWindowSummary
{
    public string? RequestedFrom { get; init; }
    public string? RequestedTo { get; init; }
    /// <summary>Open time of the first and last decision bar in the window.</summary>
    public string? FirstBar { get; init; }
    public string? LastBar { get; init; }
    /// <summary>Every bar the predictor saw: warm-up, window, and bars after it that completed open trades.</summary>
    public required long BarsStreamed { get; init; }
    public required long WarmupBars { get; init; }
    public required long BarsInWindow { get; init; }
}
