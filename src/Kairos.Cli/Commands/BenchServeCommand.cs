using System.CommandLine;
using System.Globalization;
using Kairos.Errors;
using Kairos.Replay;
using Kairos.Serve;
using Kairos.Settings;
using Kairos.Snapshots;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos bench serve --bundle B --input BARS.csv</c>: every bar through <c>kairos serve</c> over loopback HTTP, one bar
/// per request, then in batches (docs/serve.md, Benchmark): bars/s, per-bar end-to-end latency, memory, errors.
/// </summary>
public static class BenchServeCommand
{
    public static Command Build()
    {
        var bundle = new Option<string>("--bundle") { Description = "Bundle directory to serve.", Required = true };
        var input = new Option<string>("--input") { Description = "Bar CSV (such as ../shared/data/EURUSD_M5_2025_mt5.csv) in the bundle's bar size.", Required = true };
        var symbol = new Option<string?>("--symbol") { Description = "Symbol of the bars (default: the file name up to its first '_')." };
        var pLong = SettingOption.Create(BundleReplayOptions.Settings.PLong, description: "The server's --p-long (kairos serve): " + BundleReplayOptions.Settings.PLong.Description);
        var engine = new Option<string>("--engine") { Description = "The server's hybrid engine (kairos serve --engine): managed, libtorch or onnx.", DefaultValueFactory = _ => "managed" };
        engine.AcceptOnlyFromAmong("managed", "libtorch", "onnx");
        var onnx = new Option<string?>("--onnx") { Description = "With --engine onnx: the bundle's ONNX export for the server (kairos serve --onnx); default: exported in memory." };
        var warmup = new Option<int>("--warmup") { Description = "Bars sent one per request before measuring.", DefaultValueFactory = _ => 2000 };
        var batches = new Option<string>("--batches") { Description = "Batch sizes, one server each (comma-separated).", DefaultValueFactory = _ => "1,100" };
        var command = new Command("serve", "Every bar of a file through kairos serve over loopback HTTP: bars/s, per-bar latency p50/p99, RSS and GC heap, errors.")
        {
            bundle, input, symbol, pLong, engine, onnx, warmup, batches,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var problems = new List<string>();
            var source = ChoiceSetting<PLongChoice>.Name(SettingOption.Choice(parse, pLong, BundleReplayOptions.Settings.PLong, problems));
            var sizes = new List<int>();
            foreach (var part in parse.GetValue(batches)!.Split(','))
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1) sizes.Add(n);
                else problems.Add($"--batches: '{part}' is not a positive whole number");
            if (problems.Count > 0) throw new ConfigException("kairos bench serve", problems);
            var path = parse.GetValue(input)!;
            var bars = parse.GetValue(symbol) is { } s ? BarCsvReader.Read(path, s) : BarCsvReader.Read(path);
            var kairos = typeof(BenchServeCommand).Assembly.Location;
            var self = Environment.ProcessPath!;
            IReadOnlyList<string> program = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [self, kairos] : [self];
            var engineName = parse.GetValue(engine)!;
            string[] serveArgs = ["--bundle", parse.GetValue(bundle)!, "--p-long", source, "--poll", "0", "--engine", engineName,
                .. parse.GetValue(onnx) is { } export ? ["--onnx", export] : Array.Empty<string>()];
            var phases = new List<ServeBenchmarkPhase>();
            foreach (var size in sizes)
            {
                ctx.Error.MarkupLine(Markup.Escape($"bench serve: {bars.Count} bars of {bars.Symbol}, {size} bar(s) per request, p_long {source}, engine {engineName} ..."));
                phases.Add(ServeBenchmark.Run(program, serveArgs, bars, size, parse.GetValue(warmup)));
            }
            if (ctx.Json)
            {
                ctx.WriteJson(new
                {
                    Bundle = parse.GetValue(bundle), Input = path, Symbol = bars.Symbol, BarsInFile = bars.Count, PLong = source, Engine = engineName,
                    ServerEnvironment = $"{ServeBenchmark.Gen0SizeVariable}={Environment.GetEnvironmentVariable(ServeBenchmark.Gen0SizeVariable) ?? ServeBenchmark.Gen0Size}",
                    LoadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
                    Phases = phases,
                });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("bars/request", "bars", "errors", "bars/s", "p50 µs", "p99 µs", "server p50 µs", "server p99 µs", "RSS after warm-up MB", "RSS growth MB", "GC heap growth MB");
            foreach (var p in phases)
                table.AddRow(I(p.BatchSize), I(p.Bars), I(p.Errors), F(p.BarsPerSecond, "0"), F(p.P50Us, "0"), F(p.P99Us, "0"), F(p.ServerP50Us, "0"), F(p.ServerP99Us, "0"),
                    F(p.RssAfterWarmupBytes / 1048576.0, "0.0"), F(p.RssGrowthMb, "0.0"), F(p.GcHeapGrowthMb, "0.0"));
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
