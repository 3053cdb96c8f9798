using System.CommandLine;
using System.Runtime.InteropServices;
using Kairos.Errors;
using Kairos.Replay;
using Kairos.Serve;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Prometheus;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos serve --registry ROOT | --bundle DIR</c>: a promoted bundle scoring live bars over HTTP (or NDJSON on
/// standard input and output with <c>--stdio</c>), docs/serve.md. Parses the options and runs <see cref="ServeHost"/>.
/// </summary>
public static class ServeCommand
{
    public static Command Build()
    {
        var registry = new Option<string?>("--registry") { Description = "Registry root: serve its best version and follow promotions and rollbacks." };
        var bundle = new Option<string?>("--bundle") { Description = "Bundle directory to serve (instead of --registry)." };
        var listen = new Option<string>("--listen") { Description = "HOST:PORT to listen on (port 0: any free port, logged).", DefaultValueFactory = _ => new ServeOptions().Listen };
        var warmup = new Option<string?>("--warmup") { Description = "Snapshot whose bars warm the features up before the first live bar." };
        var journal = new Option<string?>("--journal") { Description = "Journal directory: every accepted bar and decision, fsync'd per request, replayed on restart." };
        var pLong = SettingOption.Create(BundleReplayOptions.Settings.PLong);
        var longThreshold = SettingOption.Create(ReplayOptions.Settings.LongThreshold);
        var shortThreshold = SettingOption.Create(ReplayOptions.Settings.ShortThreshold);
        var noShort = new Option<bool>("--no-short") { Description = "Long entries only." };
        var staleAfter = new Option<string?>("--stale-after") { Description = "No bar within this long (such as 15m) turns the status to degraded (default: three bar sizes)." };
        var poll = new Option<string>("--poll") { Description = "How often to check the registry's best (such as 5s, 1m; 0 turns polling off).", DefaultValueFactory = _ => "5s" };
        var engine = new Option<string>("--engine") { Description = "What computes the models: managed (LightGBM trees, the .NET SIMD kernel for the hybrid), libtorch (the hybrid's own forward; p_long from the hybrid) or onnx (ONNX Runtime, one thread, for the trees and the hybrid).", DefaultValueFactory = _ => "managed" };
        engine.AcceptOnlyFromAmong("managed", "libtorch", "onnx");
        var onnx = new Option<string?>("--onnx") { Description = "With --engine onnx: the bundle's export (kairos bundle export BUNDLE --format onnx --out DIR) whose trees_*.onnx and hybrid.onnx (tft.onnx for a TFT bundle, lstm.onnx for an LSTM bundle) to run; it must be of the served bundle and its feature contract (exit 3 otherwise). Without it the bundle's model is exported in memory." };
        var stdio = new Option<bool>("--stdio") { Description = "NDJSON on standard input and output (one bar per line in, one decision per line out) instead of HTTP." };
        var command = new Command("serve", "Score live bars with a promoted bundle: decisions over HTTP or NDJSON, kill switch, hot-swap, journal, metrics.")
        {
            registry, bundle, listen, warmup, journal, pLong, engine, onnx, longThreshold, shortThreshold, noShort, staleAfter, poll, stdio,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var problems = new List<string>();
            var choice = SettingOption.Choice(parse, pLong, BundleReplayOptions.Settings.PLong, problems);
            TimeSpan? stale = null;
            if (parse.GetValue(staleAfter) is { } s)
            {
                if (TryDuration(s, out var d) && d > TimeSpan.Zero) stale = d;
                else problems.Add($"--stale-after '{s}' is not a duration such as 90s, 15m or 1h");
            }
            var pollText = parse.GetValue(poll)!;
            if (!TryDuration(pollText, out var pollEvery)) problems.Add($"--poll '{pollText}' is not a duration such as 5s or 1m (0: off)");
            var options = new ServeOptions
            {
                Registry = parse.GetValue(registry),
                Bundle = parse.GetValue(bundle),
                Listen = parse.GetValue(listen)!,
                Warmup = parse.GetValue(warmup),
                Journal = parse.GetValue(journal),
                PLong = choice,
                Engine = parse.GetValue(engine) switch
                {
                    "onnx" => ServeHybridEngine.Onnx,
                    "libtorch" => ServeHybridEngine.Libtorch,
                    _ => ServeHybridEngine.Managed,
                },
                OnnxExport = parse.GetValue(onnx),
                Rule = new ReplayOptions
                {
                    LongThreshold = parse.GetValue(longThreshold),
                    ShortThreshold = parse.GetValue(shortThreshold),
                    AllowShort = !parse.GetValue(noShort),
                },
                StaleAfter = stale,
                PollInterval = pollEvery,
            };
            problems.AddRange(options.Validate());
            if (!parse.GetValue(stdio)) ServeHost.ParseListen(options.Listen);
            if (problems.Count > 0) throw new ConfigException("kairos serve", problems);
            if (parse.GetValue(stdio)) return RunStdio(options);
            ServeHost.RunAsync(options, Logging, ctx.Cancellation).GetAwaiter().GetResult();
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int RunStdio(ServeOptions options)
    {
        using var loggers = LoggerFactory.Create(Logging);
        var log = loggers.CreateLogger("Kairos.Serve");
        using var engine = ServeEngine.Create(options, new ServeMetrics(Metrics.NewCustomRegistry()), log, TimeProvider.System);
        engine.WarmUp(CancellationToken.None);
        log.LogInformation("serving on standard input and output: ready {Ready}", engine.IsReady);
        using var cancel = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            // Drain (the bar in flight finishes, the journal is synced), then end as the signal asks.
            engine.Drain();
            log.LogInformation("{Signal}: drained, exiting", context.Signal);
            loggers.Dispose();
            Environment.Exit(ExitCodes.Ok);
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var output = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = false };
        StdioServer.RunAsync(engine, Console.In, output, cancel.Token).GetAwaiter().GetResult();
        engine.Drain();
        return ExitCodes.Ok;
    }

    /// <summary>Structured logs: one JSON object per line on standard error (standard output carries NDJSON in --stdio).</summary>
    private static void Logging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    private static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0") return true;
        if (text.EndsWith('s') && int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }
        return ReplayTime.TryParseDuration(text, out duration);
    }
}
