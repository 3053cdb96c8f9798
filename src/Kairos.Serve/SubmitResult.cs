namespace Kairos.Serve;

/// <summary>
/// The outcome of one batch of bars: the decisions (all bars accepted), or the first refused bar (nothing accepted, the
/// state unchanged, nothing journaled), or <see cref="Unavailable"/> (not started yet, or shutting down).
/// </summary>
public sealed record SubmitResult
{
    public IReadOnlyList<ServeDecision>? Decisions { get; init; }
    public BarRejection? Rejection { get; init; }
    public string? Unavailable { get; init; }
}
