using Kairos.Artifacts;
using System.Globalization;
using System.Text.Json;
using Kairos.Replay;

namespace Kairos.Pipeline;

/// <summary>
/// The replay stage's result for one symbol: its replay directory and report (the candidate alone) or comparison (previous
/// best A against the candidate B on the same bars). A multi-symbol run has one per symbol.
/// </summary>
public sealed record SymbolReplay(string Directory, ReplayReport? Report, ReplayComparison? Comparison)
{
    public string Symbol => Comparison?.B.Symbol ?? Report!.Symbol;

    /// <summary>The candidate's report (B of a comparison).</summary>
    public ReplayReport Candidate => Comparison?.B ?? Report!;

    /// <summary>True when the per-bar trace the report's plots need is there (a replay read back from its directory has none).</summary>
    public bool HasTrace => Comparison is { } c ? c.A.Trace is not null && c.B.Trace is not null : Report?.Trace is not null;

    public string Summary
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            if (Comparison is { } cmp)
                return string.Create(c, $"A (previous best) vs B (candidate) on {cmp.Window.BarsInWindow:N0} bars: trades {cmp.A.Trades.Created} vs {cmp.B.Trades.Created}, p_long correlation {cmp.Agreement.PLongCorrelation:F3}");
            var r = Report!;
            return string.Create(c, $"{r.Window.BarsInWindow:N0} bars, {r.Candidates:N0} candidates, {r.Trades.Created} trades, goes-against-us rate {(r.Trades.All.GoesAgainstUsRate is { } g ? g.ToString("F3", c) : "n/a")}");
        }
    }

    /// <summary>The replay directory read back (a reused stage), or null when it is gone or unreadable.</summary>
    public static SymbolReplay? TryLoad(string directory)
    {
        try
        {
            var comparison = Path.Combine(directory, "comparison.json");
            if (File.Exists(comparison))
                return JsonSerializer.Deserialize<ReplayComparison>(File.ReadAllText(comparison), ArtifactJson.Options) is { } c ? new SymbolReplay(directory, null, c) : null;
            var replay = Path.Combine(directory, "replay.json");
            if (File.Exists(replay))
                return JsonSerializer.Deserialize<ReplayReport>(File.ReadAllText(replay), ArtifactJson.Options) is { } r ? new SymbolReplay(directory, r, null) : null;
            return null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
