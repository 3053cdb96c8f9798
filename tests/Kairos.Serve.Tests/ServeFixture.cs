using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Datasets;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Tests;
using Kairos.Tests.Bundles;

namespace Kairos.Serve.Tests;

/// <summary>
/// Real bundles and bars for the serve tests, built once per test run: bundle A from the CLI tests' bundle inputs (a
/// real EURUSD 2025 dataset, real trees, a seeded hybrid), bundle B the same with other calibrators (other p_long),
/// a snapshot of the whole year, a warm-up snapshot of the bars before the test period, the test period's bars,
/// and <c>kairos replay --live</c> traces of that period (computed on first use).
/// </summary>
internal sealed class ServeFixture
{
    private static readonly Lazy<ServeFixture> Shared = new(() => new ServeFixture());
    private readonly Dictionary<string, Lazy<IReadOnlyList<TraceRow>>> _traces = [];

    public static ServeFixture Instance => Shared.Value;

    private ServeFixture()
    {
        var inputs = BundleInputs.Instance;
        Root = TestData.TempDirectory("kairos-serve");
        BundleA = Build(inputs.BuildArgs(Path.Combine(Root, "bundles"), inputs.PassedVerdict, "serve A"));
        var otherTrees = Path.Combine(Root, "trees-b");
        Copy(inputs.Trees, otherTrees);
        var calibrators = new Dictionary<(string, string), ICalibrator>
        {
            [("EU", "all")] = new PlattCalibrator(1.6, 0.15, 500, 240),
            [("OVERLAP", "all")] = new PlattCalibrator(1.4, -0.1, 400, 210),
            [("US", "all")] = new PlattCalibrator(1.5, 0.05, 450, 220),
        };
        File.Delete(Path.Combine(otherTrees, "calibrators.json"));
        new SessionCalibratorSet(CalibrationMethod.Platt, calibrators, "test").Save(Path.Combine(otherTrees, "calibrators.json"));
        BundleB = Build(["bundle", "build", "--dataset", inputs.Dataset, "--trees", otherTrees, "--run", inputs.Run, "--eval", inputs.Evaluation,
            "--out", Path.Combine(Root, "bundles"), "--notes", "serve B", "--verdict", inputs.PassedVerdict]);

        var csv = TestData.File("EURUSD_M5_2025_mt5.csv");
        Snapshot = CreateSnapshot(csv, "snapshots");
        From = DatasetReader.Open(inputs.Dataset).ReadSplit("test", ["timestamp"]).Timestamp[0];
        // The warm-up snapshot: the same file cut before the test period.
        var cut = Path.Combine(Root, "EURUSD_M5_2025_before_test.csv");
        using (var w = new StreamWriter(cut, false, new UTF8Encoding(false)))
        {
            var cutText = ReplayTime.Format(From);
            foreach (var line in File.ReadLines(csv))
            {
                if (!line.StartsWith("timestamp", StringComparison.Ordinal) && string.CompareOrdinal(line, 0, cutText, 0, cutText.Length) >= 0) break;
                w.WriteLine(line);
            }
        }
        WarmupSnapshot = CreateSnapshot(cut, "warmup-snapshots");
        var all = ReplayArtifacts.ReadBars(Snapshot, "EURUSD", TimeSpan.FromMinutes(5));
        var window = new List<Bar>();
        for (var i = 0; i < all.Count; i++)
            if (all.Time[i] >= From) window.Add(Bar.At(all, i));
        Bars = window;
    }

    public string Root { get; }
    public string BundleA { get; }
    public string BundleB { get; }
    public string Snapshot { get; }
    public string WarmupSnapshot { get; }
    /// <summary>The first bar of the dataset's test period (Unix seconds).</summary>
    public long From { get; }
    /// <summary>The bars of the test period, oldest first.</summary>
    public IReadOnlyList<Bar> Bars { get; }

    /// <summary><c>kairos replay --live --from FROM --trace OPTIONS</c> of a bundle over the test period, one row per bar.</summary>
    public IReadOnlyList<TraceRow> Trace(string bundle, params string[] options)
    {
        Lazy<IReadOnlyList<TraceRow>> lazy;
        lock (_traces)
        {
            var key = bundle + "|" + string.Join(" ", options);
            if (!_traces.TryGetValue(key, out lazy!)) _traces[key] = lazy = new(() => RunReplay(bundle, options));
        }
        return lazy.Value;
    }

    private IReadOnlyList<TraceRow> RunReplay(string bundle, string[] options)
    {
        var trace = Path.Combine(TestData.TempDirectory("kairos-serve-trace"), "trace.csv");
        var r = KairosCli.Run(["replay", "--bundle", bundle, "--snapshot", Snapshot, "--from", ReplayTime.Format(From), "--live",
            "--permutations", "99", "--out", Path.Combine(Root, "replays"), "--trace", trace, .. options]);
        Assert.True(r.ExitCode == 0, r.StandardError);
        return File.ReadLines(trace).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return new TraceRow(long.Parse(f[0], CultureInfo.InvariantCulture), f[2], f[3].Length == 0 ? null : double.Parse(f[3], CultureInfo.InvariantCulture),
                int.Parse(f[4], CultureInfo.InvariantCulture));
        }).ToArray();
    }

    public static string BarJson(in Bar b, string? symbol = null)
    {
        var o = new JsonObject();
        if (symbol is not null) o["symbol"] = symbol;
        o["time"] = ReplayTime.Format(b.Time);
        o["open"] = b.Open;
        o["high"] = b.High;
        o["low"] = b.Low;
        o["close"] = b.Close;
        o["volume"] = b.Volume;
        o["spread"] = b.Spread;
        return o.ToJsonString();
    }

    private string CreateSnapshot(string csv, string root)
    {
        var r = KairosCli.Run("snapshot", "create", "--input", csv, "--symbol", "EURUSD", "--out", Path.Combine(Root, root), "--json");
        Assert.True(r.ExitCode == 0, r.StandardError);
        return (string)JsonNode.Parse(r.StandardOutput)!["directory"]!;
    }

    internal static string Build(string[] args)
    {
        var r = KairosCli.Run([.. args, "--json"]);
        Assert.True(r.ExitCode == 0, r.StandardError);
        return (string)JsonNode.Parse(r.StandardOutput)!["directory"]!;
    }

    public static void Copy(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
