namespace Kairos.Serve;

/// <summary>One symbol in <c>GET /v1/status</c>.</summary>
public sealed record SymbolStatus(string Symbol, string? LastBar, bool Ready, long BarsAccepted, long BarsScored, string? KillSwitch, bool Stale, bool PositionOpen);
