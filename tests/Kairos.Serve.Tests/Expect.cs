using System.Text.Json.Nodes;

namespace Kairos.Serve.Tests;

/// <summary>Assertions shared by the serve tests.</summary>
internal static class Expect
{
    /// <summary>
    /// Decisions equal a replay trace from <paramref name="offset"/> on, bar for bar: same times, p_long within 1e-6
    /// (null exactly where replay had no candidate), the same action, and replay's reason where the bar was not eligible.
    /// </summary>
    public static void SameAsReplay(IReadOnlyList<TraceRow> trace, IReadOnlyList<JsonNode> decisions, int offset = 0, string? model = null)
    {
        Assert.True(offset + decisions.Count <= trace.Count, $"{decisions.Count} decisions from {offset}, the trace has {trace.Count} rows");
        var scored = 0;
        var entries = 0;
        for (var i = 0; i < decisions.Count; i++)
        {
            var d = decisions[i];
            var r = trace[offset + i];
            var at = $"bar {offset + i} ({Kairos.Replay.ReplayTime.Format(r.Time)})";
            Assert.True(Kairos.Replay.ReplayTime.Format(r.Time) == (string)d["time"]!, $"{at}: serve answered {(string)d["time"]!}");
            var p = (double?)d["p_long"];
            Assert.True(r.PLong.HasValue == p.HasValue, $"{at}: replay p_long {r.PLong}, serve {p}");
            if (p is { } x)
            {
                Assert.True(Math.Abs(x - r.PLong!.Value) <= 1e-6, $"{at}: replay p_long {r.PLong}, serve {x}");
                scored++;
            }
            var action = (string)d["decision"]! switch { "long" => 1, "short" => -1, _ => 0 };
            Assert.True(r.Action == action, $"{at}: replay action {r.Action}, serve {(string)d["decision"]!} ({(string?)d["reason"]})");
            if (action != 0) entries++;
            if (r.Reason != "eligible") Assert.True(r.Reason == (string?)d["reason"], $"{at}: replay reason {r.Reason}, serve {(string?)d["reason"]}");
            if (model is not null) Assert.Equal(model, (string)d["model"]!["bundle_id"]!);
        }
        // A window without candidates or entries would compare nothing.
        if (decisions.Count >= 500)
        {
            Assert.True(scored > decisions.Count / 10, $"only {scored} of {decisions.Count} bars scored");
            Assert.True(entries > 0, "no entry in the window");
        }
    }

    public static string BundleId(string bundle) =>
        (string)JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "bundle_metadata.json")))!["bundle_id"]!;
}
