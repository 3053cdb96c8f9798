using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kairos.Bundles;
using Kairos.Artifacts;

namespace Kairos.Backtest;

/// <summary>
/// Writes a backtest to <c>ROOT/&lt;id&gt;/</c>: <c>backtest.json</c>, <c>equity.csv</c> (time, equity, drawdown),
/// <c>equity.png</c>, <c>drawdown.png</c> and a self-contained <c>report.html</c>; a sweep writes <c>sweep.json</c> and
/// <c>report.html</c>. Everything goes to a temporary sibling renamed into place, so a directory is complete or absent.
/// The id derives from the key (what went in: candidates, bars, window) and the options: the same inputs
/// find the existing directory, which is never rewritten.
/// </summary>
public static class BacktestArtifacts
{
    public const string ResultFile = "backtest.json";
    public const string SweepFile = "sweep.json";

    public static string Id(string kind, string key, string options) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"kairos.{kind}/1\n{key}\n{options}")))[..16];

    public static string Write(string root, string key, BacktestResult result)
    {
        var id = Id("backtest", key, ArtifactJson.Serialize(result.Options));
        return Write(root, id, dir =>
        {
            File.WriteAllText(Path.Combine(dir, ResultFile), ArtifactJson.Serialize(result) + "\n", new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(dir, "equity.csv"), EquityCsv(result), new UTF8Encoding(false));
            if (result.CurveEquity.Length > 0)
            {
                File.WriteAllBytes(Path.Combine(dir, "equity.png"), BacktestPlots.Equity(result));
                File.WriteAllBytes(Path.Combine(dir, "drawdown.png"), BacktestPlots.Drawdown(result));
            }
            File.WriteAllText(Path.Combine(dir, "report.html"), BacktestHtml.Backtest(result).ToHtml(), new UTF8Encoding(false));
        });
    }

    public static string WriteSweep(string root, string key, SweepResult sweep)
    {
        var id = Id("backtest-sweep", key, ArtifactJson.Serialize(new { sweep.BaseOptions, sweep.Axes }));
        return Write(root, id, dir =>
        {
            File.WriteAllText(Path.Combine(dir, SweepFile), ArtifactJson.Serialize(sweep) + "\n", new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(dir, "report.html"), BacktestHtml.Sweep(sweep).ToHtml(), new UTF8Encoding(false));
        });
    }

    private static string EquityCsv(BacktestResult r)
    {
        var text = new StringBuilder("timestamp,equity,drawdown\n");
        var peak = r.Options.InitialCapital;
        for (var k = 0; k < r.CurveEquity.Length; k++)
        {
            peak = Math.Max(peak, r.CurveEquity[k]);
            text.Append(Replay.ReplayTime.Format(r.CurveTime[k])).Append(',')
                .Append(r.CurveEquity[k].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append((peak > 0 ? r.CurveEquity[k] / peak - 1 : 0).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    private static string Write(string root, string id, Action<string> fill)
    {
        Directory.CreateDirectory(root);
        var final = Path.GetFullPath(Path.Combine(root, id));
        if (Directory.Exists(final)) return final;
        ArtifactDirectory.RemoveStaleTemporaries(root);
        var temp = ArtifactDirectory.CreateTemporarySibling(root, id);
        try
        {
            fill(temp);
            ArtifactDirectory.Publish(temp, final);
            return final;
        }
        finally
        {
            ArtifactDirectory.Discard(temp);
        }
    }
}
