using Kairos.Tests.Run;

namespace Kairos.Serve.Tests;

/// <summary>
/// The pooled run fixtures' inputs: EURUSD and XAUUSD M5 of 2025 (MT5) cut before 15 February (about 6 weeks each) in a
/// test directory, and the tiny run config on both files with a pooled dataset.
/// </summary>
internal static class PooledSlice
{
    /// <summary>The two symbols, in the order of the vocabulary the pooled dataset learns.</summary>
    public static readonly string[] Symbols = ["EURUSD", "XAUUSD"];

    /// <summary>A fresh directory holding <c>eurusd.csv</c> and <c>xauusd.csv</c>.</summary>
    public static string Directory(string prefix)
    {
        var dir = TestData.TempDirectory(prefix);
        Slice(dir, "EURUSD_M5_2025_mt5.csv", "eurusd.csv");
        Slice(dir, "XAUUSD_M5_2025_mt5.csv", "xauusd.csv");
        return dir;
    }

    /// <summary>Writes <paramref name="name"/> into <paramref name="dir"/>: the tiny run on both files; <paramref name="hybridExtra"/> is appended to the hybrid's settings, <paramref name="section"/> to the config.</summary>
    public static string Config(string dir, string name, string hybridExtra = "", string section = "")
    {
        var path = RunSlice.TinyConfig(dir, name, "{files: [eurusd.csv, xauusd.csv], symbols: [EURUSD, XAUUSD]}", "{}", "out/registry",
            SmallRealData.DatasetYaml(indent: 2) + "\n  pooled: true");
        return RunSlice.Write(dir, name, File.ReadAllText(path).TrimEnd().Replace("feed_forward: 32", "feed_forward: 32" + hybridExtra, StringComparison.Ordinal) + section);
    }

    private static void Slice(string dir, string file, string name) =>
        File.WriteAllLines(Path.Combine(dir, name), File.ReadLines(TestData.File(file))
            .TakeWhile(l => l.StartsWith("timestamp", StringComparison.Ordinal) || string.CompareOrdinal(l, 0, "2025-02-15", 0, 10) < 0));
}
