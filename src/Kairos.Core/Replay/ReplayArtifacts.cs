using System.Security.Cryptography;
using System.Text;
using Kairos.Bundles;
using Kairos.Features;
using Kairos.Snapshots;
using Kairos.Artifacts;

namespace Kairos.Replay;

/// <summary>
/// Inputs and outputs of the replay commands: the bars of a snapshot in the models' bar size and a window,
/// and the report directories <c>&lt;root&gt;/&lt;id&gt;/</c> (<c>replay.json</c> or <c>comparison.json</c>, and
/// <c>report.html</c>), written to a temporary sibling and renamed into place. The id is content-derived:
/// models, symbol, bars of the window and options.
/// </summary>
public static class ReplayArtifacts
{
    /// <summary>The symbol's bars from the snapshot, resampled to <paramref name="barSize"/> when the snapshot is finer.</summary>
    public static BarSeries ReadBars(string snapshotDir, string symbol, TimeSpan barSize)
    {
        var snapshot = Snapshot.Open(snapshotDir);
        if (!snapshot.Symbols.Contains(symbol))
            throw new Kairos.Errors.ConfigException("replay", [$"symbol '{symbol}' is not in snapshot {snapshot.Id} (it has {string.Join(", ", snapshot.Symbols)})"]);
        var bars = snapshot.ReadBars(symbol);
        return bars.BarSize == barSize ? bars : BarResampler.Resample(bars, barSize).Series;
    }

    /// <summary>
    /// The decision window: explicit <paramref name="from"/> / <paramref name="to"/>, or a <paramref name="length"/>
    /// from <paramref name="from"/>, or (length without from) the last <paramref name="length"/> of the bars.
    /// </summary>
    public static ReplayWindow Window(BarSeries bars, long? from, long? to, TimeSpan? length)
    {
        if (length is not { } span) return new ReplayWindow(from, to);
        var seconds = (long)span.TotalSeconds;
        if (from is { } f) return new ReplayWindow(f, to ?? f + seconds);
        var end = to ?? (bars.Count == 0 ? 0 : bars.Time[^1] + (long)bars.BarSize.TotalSeconds);
        return new ReplayWindow(end - seconds, end);
    }

    public static string WriteReport(string root, ReplayReport report) =>
        Write(root, Id("replay", [report]), "replay.json", ArtifactJson.Serialize(report), ReplayHtml.Replay(report).ToHtml());

    public static string WriteComparison(string root, ReplayComparison comparison) =>
        Write(root, Id("comparison", [comparison.A, comparison.B]), "comparison.json", ArtifactJson.Serialize(comparison), ReplayHtml.Comparison(comparison).ToHtml());

    private static string Id(string kind, IReadOnlyList<ReplayReport> reports)
    {
        var key = new StringBuilder(kind);
        foreach (var r in reports)
            key.Append('|').Append(r.Model.BundleId ?? r.Model.Name).Append('|').Append(r.Model.FeatureContractHash).Append('|').Append(r.Model.ModelVariant);
        var first = reports[0];
        key.Append('|').Append(first.Symbol).Append('|').Append(first.Window.FirstBar).Append('|').Append(first.Window.LastBar)
            .Append('|').Append(first.Window.BarsInWindow).Append('|').Append(ArtifactJson.Serialize(first.Options));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..16];
    }

    private static string Write(string root, string id, string jsonName, string json, string html)
    {
        var final = Path.GetFullPath(Path.Combine(root, id));
        // Same models, bars and options: the artifact exists already and is never rewritten.
        if (Directory.Exists(final)) return final;
        var temp = ArtifactDirectory.CreateTemporarySibling(root, id);
        try
        {
            File.WriteAllText(Path.Combine(temp, jsonName), json, new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(temp, "report.html"), html, new UTF8Encoding(false));
            Directory.Move(temp, final);
            return final;
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}
