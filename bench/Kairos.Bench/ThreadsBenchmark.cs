using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kairos.Bench;

/// <summary>
/// <c>threads</c>: issue 23's table. For every machine load (idle, one busy core, two busy cores: seeded busy-loop
/// child processes this benchmark starts and stops) and every thread setting (1, 2, auto), runs
/// <c>kairos train gbdt --trials N</c> (wall seconds) and <c>kairos bench train --model hybrid</c> (samples/s) as
/// child processes of the built CLI, interleaving the settings, and prints one line per measurement with the load
/// average (/proc/loadavg) before it, the threads auto chose and why. Options:
/// <c>--dataset DIR</c> (required for gbdt: a dataset of <c>kairos dataset build</c>), <c>--kairos DLL</c> (default
/// src/Kairos.Cli/bin/Release/net10.0/kairos.dll), <c>--loads 0,1,2</c>, <c>--settings 1,2,auto</c>, <c>--work gbdt,hybrid</c>,
/// <c>--trials 10</c>, <c>--folds 5</c>, <c>--ensemble 3</c> (as <c>train gbdt</c>), <c>--steps 100</c>, <c>--repeat 1</c>, <c>--env NAME=VALUE</c> (repeatable, for the children),
/// <c>--json FILE</c> (every measurement). <c>spin --seed S [--seconds T]</c> is the busy loop itself.
/// </summary>
public static class ThreadsBenchmark
{
    public static int Run(string[] args)
    {
        var o = Options.Parse(args);
        var kairos = Path.GetFullPath(o.Kairos);
        if (!File.Exists(kairos))
        {
            Console.Error.WriteLine($"threads: {kairos} not found; build it first: dotnet build src/Kairos.Cli -c Release");
            return 1;
        }
        if (o.Work.Contains("gbdt") && o.Dataset is null)
        {
            Console.Error.WriteLine("threads: --dataset DIR is required for the gbdt rows (kairos dataset build)");
            return 1;
        }
        var results = new JsonArray();
        var scratch = Path.Combine(Path.GetTempPath(), $"kairos-bench-threads-{Environment.ProcessId}");
        Console.WriteLine($"threads: {Environment.ProcessorCount} processors, env {(o.Env.Count == 0 ? "(none added)" : string.Join(' ', o.Env.Select(e => $"{e.Key}={e.Value}")))}");
        try
        {
            foreach (var load in o.Loads)
            {
                var spinners = Enumerable.Range(0, load).Select(k => Spinner(k + 1)).ToList();
                try
                {
                    Thread.Sleep(TimeSpan.FromSeconds(load > 0 ? 2 : 0));
                    for (var r = 0; r < o.Repeat; r++)
                        foreach (var work in o.Work)
                            foreach (var setting in r % 2 == 0 ? o.Settings : o.Settings.Reverse().ToArray())
                            {
                                var m = work == "gbdt" ? Gbdt(kairos, o, setting, Path.Combine(scratch, Guid.NewGuid().ToString("N"))) : Hybrid(kairos, o, setting);
                                m["load"] = load;
                                m["work"] = work;
                                m["setting"] = setting;
                                results.Add(m);
                                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                    $"{work,-6} busy {load}  --threads {setting,-4}  {Figure(m),-22} cpu {m["cpu_seconds"]} s  threads used {m["threads"]?.ToJsonString() ?? "?",-8} load avg before {m["loadavg_before"]}  {m["reason"]?.GetValue<string>()}"));
                            }
                }
                finally
                {
                    foreach (var s in spinners)
                    {
                        if (!s.HasExited) s.Kill();
                        s.WaitForExit();
                        s.Dispose();
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
        if (o.Json is { } file) File.WriteAllText(file, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return 0;
    }

    /// <summary>The busy loop: a seeded xorshift that never sleeps, until killed (or <c>--seconds</c>, default an hour, have passed).</summary>
    public static int Spin(string[] args)
    {
        var seed = args.Length > 1 && args[0] == "--seed" ? ulong.Parse(args[1], CultureInfo.InvariantCulture) : 1UL;
        var seconds = args.Length > 3 && args[2] == "--seconds" ? double.Parse(args[3], CultureInfo.InvariantCulture) : 3600;
        var clock = Stopwatch.StartNew();
        var x = seed | 1;
        while (clock.Elapsed.TotalSeconds < seconds)
            for (var i = 0; i < 10_000_000; i++)
            {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
        return (int)(x & 1);
    }

    private static Process Spinner(int seed)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        foreach (var a in new[] { typeof(ThreadsBenchmark).Assembly.Location, "spin", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--seconds", "3600" })
            info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private static JsonObject Gbdt(string kairos, Options o, string setting, string dir)
    {
        var (wall, cpu, json, loadavg) = Child(kairos, o,
            ["train", "gbdt", "--dataset", o.Dataset!, "--out", Path.Combine(dir, "trees"), "--enriched-out", Path.Combine(dir, "datasets"),
             "--trials", o.Trials.ToString(CultureInfo.InvariantCulture), "--folds", o.Folds.ToString(CultureInfo.InvariantCulture),
             "--ensemble", o.Ensemble.ToString(CultureInfo.InvariantCulture), "--threads", setting, "--json"]);
        var meta = json?["metadata"];
        Directory.Delete(dir, recursive: true);
        return new JsonObject
        {
            ["seconds"] = Math.Round(wall, 2),
            ["cpu_seconds"] = Math.Round(cpu, 2),
            ["threads"] = meta?["threads"]?["threads"]?.DeepClone(),
            ["trial_threads"] = meta?["search"]?["trial_threads"]?.DeepClone(),
            ["reason"] = meta?["threads"]?["reason"]?.DeepClone(),
            ["loadavg_before"] = loadavg,
        };
    }

    private static JsonObject Hybrid(string kairos, Options o, string setting)
    {
        var (wall, cpu, json, loadavg) = Child(kairos, o,
            ["bench", "train", "--model", "hybrid", "--steps", o.Steps.ToString(CultureInfo.InvariantCulture), "--threads", setting, "--json"]);
        var result = json?["result"];
        return new JsonObject
        {
            ["samples_per_second"] = result?["train_samples_per_second"] is { } s ? Math.Round(s.GetValue<double>(), 1) : null,
            ["seconds"] = Math.Round(wall, 2),
            ["cpu_seconds"] = Math.Round(cpu, 2),
            ["threads"] = result?["threads"]?.DeepClone(),
            ["reason"] = result?["threads_reason"]?.DeepClone(),
            ["loadavg_before"] = loadavg,
        };
    }

    /// <summary>CPU seconds of this process's finished (waited-for) children: cutime + cstime of /proc/self/stat, at 100 ticks per second.</summary>
    private static double ChildrenCpuSeconds()
    {
        if (!File.Exists("/proc/self/stat")) return double.NaN;
        var stat = File.ReadAllText("/proc/self/stat");
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static (double Wall, double Cpu, JsonNode? Json, string LoadAverage) Child(string kairos, Options o, string[] arguments)
    {
        var loadavg = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(kairos);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in o.Env) info.Environment[k] = v;
        var cpu = ChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        cpu = ChildrenCpuSeconds() - cpu;
        if (p.ExitCode != 0) throw new InvalidOperationException($"kairos {string.Join(' ', arguments)} exited {p.ExitCode}: {stderr.Result}");
        return (wall, cpu, JsonNode.Parse(stdout), loadavg);
    }

    private static string Figure(JsonObject m) => m["samples_per_second"] is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"{s.GetValue<double>():F0} samples/s")
        : string.Create(CultureInfo.InvariantCulture, $"{m["seconds"]!.GetValue<double>():F1} s");

    private sealed record Options(string Kairos, string? Dataset, int[] Loads, string[] Settings, string[] Work, int Trials, int Folds, int Ensemble, int Steps, int Repeat,
        Dictionary<string, string> Env, string? Json)
    {
        public static Options Parse(string[] args)
        {
            string? Value(string name) => args.Select((a, i) => (a, i)).Where(x => x.a == name && x.i + 1 < args.Length).Select(x => args[x.i + 1]).LastOrDefault();
            string[] List(string name, string fallback) => (Value(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var env = args.Select((a, i) => (a, i)).Where(x => x.a == "--env" && x.i + 1 < args.Length).Select(x => args[x.i + 1].Split('=', 2))
                .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
            return new Options(
                Value("--kairos") ?? "src/Kairos.Cli/bin/Release/net10.0/kairos.dll",
                Value("--dataset"),
                List("--loads", "0,1,2").Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray(),
                List("--settings", "1,2,auto"),
                List("--work", "gbdt,hybrid"),
                int.Parse(Value("--trials") ?? "10", CultureInfo.InvariantCulture),
                int.Parse(Value("--folds") ?? "5", CultureInfo.InvariantCulture),
                int.Parse(Value("--ensemble") ?? "3", CultureInfo.InvariantCulture),
                int.Parse(Value("--steps") ?? "100", CultureInfo.InvariantCulture),
                int.Parse(Value("--repeat") ?? "1", CultureInfo.InvariantCulture),
                env,
                Value("--json"));
        }
    }
}
