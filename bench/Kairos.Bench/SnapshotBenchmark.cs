using System.Diagnostics;
using System.Globalization;
using Kairos.Snapshots;

namespace Kairos.Bench;

/// <summary>
/// <c>snapshot [FILE] [--iterations N] [--runs N] [--kairos PATH]</c>: parse + validate throughput of a bar
/// file on one core (in process, pinned to CPU 0, best and median of N iterations after warm-up), then the
/// wall time of <c>dotnet kairos.dll snapshot create</c> as a fresh process (best and median of N runs).
/// Targets: at least 2,000,000 rows/s; at most 0.5 s per create. CPU time (this process, or the child's
/// user + system time from getrusage) is printed beside wall time: on a loaded machine wall time mostly
/// measures waiting for a core.
/// </summary>
public static class SnapshotBenchmark
{
    public static int Run(string[] args)
    {
        var repo = RepositoryRoot();
        var file = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _))
            ?? Path.GetFullPath(Path.Combine(repo, "..", "shared", "data", "EURUSD_M5_2025_mt5.csv"));
        var iterations = IntOption(args, "--iterations", 30);
        var runs = IntOption(args, "--runs", 10);
        var kairos = StringOption(args, "--kairos") ?? Path.Combine(repo, "src", "Kairos.Cli", "bin", "Release", "net10.0", "kairos.dll");

        Console.WriteLine($"file      {file}");
        Console.WriteLine($"load      {BenchArgs.Load(", ")} (1, 5, 15 min), {Environment.ProcessorCount} cores");
        if (OperatingSystem.IsLinux()) Process.GetCurrentProcess().ProcessorAffinity = 1;

        var bytes = File.ReadAllBytes(file);
        var rows = 0;
        var parse = new List<double>();
        var parseValidate = new List<double>();
        var withRead = new List<double>();
        var cpuParse = new List<double>();
        var cpuParseValidate = new List<double>();
        var self = Process.GetCurrentProcess();
        for (var i = 0; i < iterations + 3; i++)
        {
            var c0 = self.TotalProcessorTime.TotalSeconds;
            var sw = Stopwatch.StartNew();
            var ingested = BarFileReader.Read(bytes, file, "BENCH");
            var t1 = sw.Elapsed.TotalSeconds;
            self.Refresh();
            var c1 = self.TotalProcessorTime.TotalSeconds;
            var report = ValidationReport.Of(ingested.Series, ingested.Source.BarSizeSource);
            var t2 = sw.Elapsed.TotalSeconds;
            self.Refresh();
            var c2 = self.TotalProcessorTime.TotalSeconds;
            sw.Restart();
            var again = BarFileReader.Read(File.ReadAllBytes(file), file, "BENCH");
            ValidationReport.Of(again.Series, again.Source.BarSizeSource);
            var t3 = sw.Elapsed.TotalSeconds;
            rows = (int)report.Rows;
            self.Refresh();
            if (i < 3) continue;
            cpuParse.Add(c1 - c0);
            cpuParseValidate.Add(c2 - c0);
            parse.Add(t1);
            parseValidate.Add(t2);
            withRead.Add(t3);
        }
        Console.WriteLine($"rows      {rows:N0}");
        Print("parse (rules checked while parsing)", parse, rows);
        Print("parse + validate (+ quality report)", parseValidate, rows);
        Print("read file + parse + validate", withRead, rows);
        Print("parse, CPU time", cpuParse, rows);
        Print("parse + validate, CPU time", cpuParseValidate, rows);

        var dir = Path.Combine(Path.GetTempPath(), $"kairos-bench-{Guid.NewGuid():N}");
        try
        {
            var series = BarFileReader.Read(bytes, file, "BENCH").Series;
            var write = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var sw = Stopwatch.StartNew();
                BarParquet.Write(series, dir + "-w.parquet");
                write.Add(sw.Elapsed.TotalSeconds);
            }
            File.Delete(dir + "-w.parquet");
            Console.WriteLine($"parquet write             best {Ms(write.Min())}, median {Ms(Median(write))}");

            if (!File.Exists(kairos))
            {
                Console.WriteLine($"kairos.dll not found at {kairos}: build src/Kairos.Cli -c Release, or pass --kairos PATH");
                return 1;
            }
            if (OperatingSystem.IsLinux()) Process.GetCurrentProcess().ProcessorAffinity = (nint)((1L << Environment.ProcessorCount) - 1);
            var wall = new List<double>();
            var cpu = new List<double>();
            for (var i = 0; i < runs + 1; i++)
            {
                var root = Path.Combine(dir, $"run{i}");
                var before = ChildrenCpuSeconds();
                var sw = Stopwatch.StartNew();
                var code = RunKairos(kairos, ["snapshot", "create", "--input", file, "--symbol", "EURUSD", "--out", root]);
                var elapsed = sw.Elapsed.TotalSeconds;
                if (i > 0) cpu.Add(ChildrenCpuSeconds() - before);
                if (code != 0)
                {
                    Console.WriteLine($"kairos snapshot create failed with exit code {code}");
                    return 1;
                }
                if (i > 0) wall.Add(elapsed);
            }
            Console.WriteLine($"kairos snapshot create    best {Ms(wall.Min())}, median {Ms(Median(wall))} wall, process start included ({runs} runs, target <= 500 ms)");
            if (cpu.Count > 0 && cpu.Max() > 0)
                Console.WriteLine($"kairos snapshot create    best {Ms(cpu.Min())}, median {Ms(Median(cpu))} CPU (user + system of the process)");
            Console.WriteLine($"load      {BenchArgs.Load(", ")} (1, 5, 15 min) at the end");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        return 0;
    }

    private static void Print(string what, List<double> seconds, int rows)
    {
        var best = seconds.Min();
        var median = Median(seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-40} best {Ms(best)} = {rows / best / 1e6:0.00} M rows/s, median {Ms(median)} = {rows / median / 1e6:0.00} M rows/s"));
    }

    private static int RunKairos(string dll, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    /// <summary>User + system CPU seconds of all waited-for child processes (getrusage RUSAGE_CHILDREN); 0 off Linux.</summary>
    private static double ChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        var usage = new long[18];
        return GetRusage(-1, usage) == 0 ? (usage[0] + (usage[1] / 1e6) + usage[2] + (usage[3] / 1e6)) : 0;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, [System.Runtime.InteropServices.Out] long[] usage);

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    private static string Ms(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000,7:0.0} ms");


    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

    private static string? StringOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kairos.slnx")))
                return dir.FullName;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kairos.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Kairos.slnx not found above the current or the program's directory");
    }
}
