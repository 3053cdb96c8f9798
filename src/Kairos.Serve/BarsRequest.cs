namespace Kairos.Serve;

/// <summary>The body of <c>POST /v1/bars</c>: closed bars of one symbol, oldest first.</summary>
public sealed record BarsRequest
{
    public string? Symbol { get; init; }
    public IReadOnlyList<BarInput>? Bars { get; init; }
}
