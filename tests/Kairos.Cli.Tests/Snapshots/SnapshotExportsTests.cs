using System.Text.Json;
using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

/// <summary>
/// <c>kairos snapshot create</c> on the exports traders have: MetaTrader files as pandas writes them, a "New York
/// close" server zone, bid and ask bars in two files without volume, and times only a custom format reads.
/// </summary>
public class SnapshotExportsTests
{
    private const string Mt5 = "time,open,high,low,close,tick_volume,spread,real_volume\n";

    private static string PandasExport()
    {
        var rows = Enumerable.Range(0, 8).Select(i => $"2026-03-26 {17 + i}:00:00,1.10000,1.10050,1.09950,1.10020,100,8,0\n".Replace(" 24:", " 00:"));
        return Mt5 + string.Concat(rows.Take(7));
    }

    private static string Quotes(params int[] minutes) =>
        "timestamp,open,high,low,close\n" + string.Concat(minutes.Select(m => $"2012-02-01 00:{m:00}:00+00:00,1.5760,1.5762,1.5758,1.5760\n"));

    private static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static JsonElement Source(KairosResult r) => r.Json().GetProperty("manifest").GetProperty("symbols")[0].GetProperty("sources")[0];

    [Fact]
    public void Create_PandasMt5ExportOnNewYorkCloseServer_ConvertsAndRecordsTheChoice()
    {
        var work = TestData.TempDirectory();
        var input = Write(work, "EURUSD_H1.csv", PandasExport());
        var root = Path.Combine(work, "out");

        var r = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "EURUSD", "--timezone", "America/New_York+7", "--out", root, "--json");
        var again = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "EURUSD", "--timezone", "America/New_York+7", "--out", root, "--json");
        var eet = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "EURUSD", "--timezone", "EET", "--out", root, "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        var source = Source(r);
        Assert.Equal("YYYY-MM-DD HH:MM:SS", source.GetProperty("time_format").GetString());
        Assert.Equal("America/New_York+7", source.GetProperty("time_zone").GetString());
        // 17:00 on a New York close server on 2026-03-26 (New York on daylight time, Europe not yet) is 14:00 UTC; EET would say 15:00.
        Assert.Equal("2026-03-26T14:00:00Z", r.Json().GetProperty("manifest").GetProperty("symbols")[0].GetProperty("first_time").GetString());
        Assert.Equal("2026-03-26T15:00:00Z", eet.Json().GetProperty("manifest").GetProperty("symbols")[0].GetProperty("first_time").GetString());
        Assert.Equal(r.Json().GetProperty("id").GetString(), again.Json().GetProperty("id").GetString());
        Assert.NotEqual(r.Json().GetProperty("id").GetString(), eet.Json().GetProperty("id").GetString());
    }

    [Fact]
    public void Create_BidAndAskFilesWithoutVolume_JoinsThemAndSaysVolumeIsAbsent()
    {
        var work = TestData.TempDirectory();
        var bid = Write(work, "bid.csv", Quotes(0, 1, 2, 3, 4));
        var ask = Write(work, "ask.csv", Quotes(0, 1, 2, 3, 4).Replace("1.5762,1.5758,1.5760", "1.5764,1.5760,1.5763"));
        var root = Path.Combine(work, "out");

        var r = KairosCli.Run("snapshot", "create", "--input", bid, "--ask", ask, "--symbol", "GBPUSD", "--out", root, "--json");
        var bidOnly = KairosCli.Run("snapshot", "create", "--input", bid, "--symbol", "GBPUSD", "--out", root, "--json");
        var text = KairosCli.Run("snapshot", "create", "--input", bid, "--ask", ask, "--symbol", "GBPUSD", "--out", root, "--verify");

        Assert.True(r.ExitCode == 0, r.ToString());
        var symbol = r.Json().GetProperty("manifest").GetProperty("symbols")[0];
        Assert.True(symbol.GetProperty("has_ask").GetBoolean());
        Assert.False(symbol.GetProperty("has_volume").GetBoolean());
        Assert.Equal("absent", Source(r).GetProperty("volume").GetString());
        Assert.Equal("ask.csv", Source(r).GetProperty("ask_source").GetProperty("file_name").GetString());
        Assert.Equal(64, Source(r).GetProperty("ask_source").GetProperty("sha256").GetString()!.Length);
        Assert.NotEqual(r.Json().GetProperty("id").GetString(), bidOnly.Json().GetProperty("id").GetString());
        var bars = Snapshot.Open(r.Json().GetProperty("directory").GetString()!).ReadBars("GBPUSD");
        Assert.All(bars.Spread!, s => Assert.Equal(1.5763 - 1.5760, s, 12));
        Assert.False(bars.HasVolume);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("already existed (verified, not rewritten)", text.StandardOutput);
        Assert.Contains("no volume", text.StandardOutput);
        Assert.Contains("ask ask.csv", text.StandardOutput);
    }

    [Fact]
    public void Create_TimeOnlyInTheAskFile_Exit2NamingItAndWritesNothing()
    {
        var work = TestData.TempDirectory();
        var bid = Write(work, "bid.csv", Quotes(0, 1, 3, 4, 5));
        var ask = Write(work, "ask.csv", Quotes(0, 1, 2, 3, 4, 5));
        var root = Path.Combine(work, "out");

        var r = KairosCli.Run("snapshot", "create", "--input", bid, "--ask", ask, "--symbol", "GBPUSD", "--out", root, "--json");
        var repaired = KairosCli.Run("snapshot", "create", "--input", bid, "--ask", ask, "--symbol", "GBPUSD", "--out", root, "--repair", "--json");

        Assert.Equal(2, r.ExitCode);
        var error = r.Json();
        Assert.Equal(("unmatched-time", ask, 4L, "timestamp"),
            (error.GetProperty("rule").GetString(), error.GetProperty("file").GetString(), error.GetProperty("line").GetInt64(), error.GetProperty("column").GetString()));
        Assert.Contains("2012-02-01T00:02:00Z has no bar in bid.csv", r.StandardError);
        Assert.True(repaired.ExitCode == 0, repaired.ToString());
        var repairs = repaired.Json().GetProperty("manifest").GetProperty("symbols")[0].GetProperty("repairs");
        Assert.Equal(("ask.csv", 4L, "unmatched-time"),
            (repairs[0].GetProperty("file").GetString(), repairs[0].GetProperty("line").GetInt64(), repairs[0].GetProperty("rule").GetString()));
    }

    [Fact]
    public void Create_AskCountAndTimeFormatWrong_Exit2ListingBoth()
    {
        var work = TestData.TempDirectory();
        var a = Write(work, "a.csv", Quotes(0, 1, 2));
        var b = Write(work, "b.csv", Quotes(3, 4, 5));
        var ask = Write(work, "ask.csv", Quotes(0, 1, 2));

        var count = KairosCli.Run("snapshot", "create", "--input", a, b, "--ask", ask, "--symbol", "X", "--out", Path.Combine(work, "out"), "--json");
        var format = KairosCli.Run("snapshot", "create", "--input", a, "--symbol", "X", "--time-format", "HH:mm", "--timezone", "Mars", "--out", Path.Combine(work, "out"), "--json");

        Assert.Equal(2, count.ExitCode);
        Assert.Contains(count.Json().GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("ask: give one ask file beside each input (2), got 1", StringComparison.Ordinal));
        Assert.Equal(2, format.ExitCode);
        var problems = format.Json().GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith("time format: 'HH:mm'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("timezone: 'Mars'", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(work, "out")));
    }

    [Fact]
    public void Create_TimeFormat_ReadsLeanStyleTimes()
    {
        var work = TestData.TempDirectory();
        var input = Write(work, "bars.csv", "timestamp,open,high,low,close,volume\n20250106 00:00,1.1,1.2,1.0,1.1,0\n20250106 01:00,1.1,1.2,1.0,1.1,0\n");

        var r = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "X", "--time-format", "yyyyMMdd HH:mm", "--timezone", "UTC", "--out", Path.Combine(work, "out"), "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("custom: yyyyMMdd HH:mm (wall clock)", Source(r).GetProperty("time_format").GetString());
        Assert.Equal("yyyyMMdd HH:mm", r.Json().GetProperty("manifest").GetProperty("options").GetProperty("time_format").GetString());
    }
}
