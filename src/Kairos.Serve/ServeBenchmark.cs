using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kairos.Replay;
using Kairos.Snapshots;

namespace Kairos.Serve;

/// <summary>
/// <c>kairos bench serve</c>: starts <c>kairos serve</c> as a child process on a free loopback port and sends it every
/// bar over HTTP, sequentially (one client, keep-alive): a fresh server per batch size. The first
/// <c>warmup</c> bars (one per request) warm the server, its features and the JIT up; memory is read from
/// <c>/v1/status</c> after them and at the end. Not a test: it measures.
/// </summary>
public static partial class ServeBenchmark
{
    public const string Gen0SizeVariable = "DOTNET_GCgen0size";

    /// <summary>32 MiB, in the runtime's hexadecimal notation.</summary>
    public const string Gen0Size = "2000000";

    /// <param name="serveCommand">The program and leading arguments that run <c>kairos</c> (<c>dotnet kairos.dll</c>).</param>
    public static ServeBenchmarkPhase Run(IReadOnlyList<string> serveCommand, IReadOnlyList<string> serveArgs, BarSeries bars, int batchSize, int warmup, TextWriter? serverLog = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var start = new ProcessStartInfo(serveCommand[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in serveCommand.Skip(1)) start.ArgumentList.Add(a);
        // As docs/serve.md deploys it: a 32 MiB gen0 budget keeps the GC from committing ever more memory for garbage.
        if (Environment.GetEnvironmentVariable(Gen0SizeVariable) is null) start.Environment[Gen0SizeVariable] = Gen0Size;
        start.ArgumentList.Add("serve");
        foreach (var a in serveArgs) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--listen");
        start.ArgumentList.Add("127.0.0.1:0");
        using var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("kairos serve ended before it listened: " + log));
                return;
            }
            lock (log) log.AppendLine(e.Data);
            if (Listening().Match(e.Data) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var baseUri = new Uri(listening.Task.WaitAsync(TimeSpan.FromMinutes(5)).GetAwaiter().GetResult());
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
            while (!Get(http, "/v1/status")["status"]!.GetValue<string>().Equals("ok", StringComparison.Ordinal)) Thread.Sleep(50);
            var symbol = bars.Symbol;
            long errors = 0, requests = 0;
            var end = new List<double>(bars.Count);
            var server = new List<double>(bars.Count);
            var body = new StringBuilder();
            var w = Math.Min(warmup, bars.Count);
            for (var i = 0; i < w; i++)
                errors += Post(http, Body(body, symbol, bars, i, 1), out _, null) ? 0 : 1;
            GC.Collect();
            var afterWarmup = Get(http, "/v1/status");
            var clock = Stopwatch.StartNew();
            for (var i = w; i < bars.Count; i += batchSize)
            {
                var n = Math.Min(batchSize, bars.Count - i);
                var content = Body(body, symbol, bars, i, n);
                var t0 = Stopwatch.GetTimestamp();
                var ok = Post(http, content, out var response, server);
                var us = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                requests++;
                if (!ok) errors++;
                for (var k = 0; k < n; k++) end.Add(us / n);
            }
            clock.Stop();
            var final = Get(http, "/v1/status");
            end.Sort();
            server.Sort();
            var measured = bars.Count - w;
            return new ServeBenchmarkPhase
            {
                BatchSize = batchSize,
                Bars = measured,
                WarmupBars = w,
                Requests = requests,
                Errors = errors,
                Seconds = clock.Elapsed.TotalSeconds,
                BarsPerSecond = measured / clock.Elapsed.TotalSeconds,
                P50Us = Quantile(end, 0.50),
                P99Us = Quantile(end, 0.99),
                MeanUs = end.Count == 0 ? double.NaN : end.Average(),
                ServerP50Us = Quantile(server, 0.50),
                ServerP99Us = Quantile(server, 0.99),
                RssAfterWarmupBytes = (long)afterWarmup["rss_bytes"]!,
                RssEndBytes = (long)final["rss_bytes"]!,
                GcHeapAfterWarmupBytes = (long)afterWarmup["gc_heap_bytes"]!,
                GcHeapEndBytes = (long)final["gc_heap_bytes"]!,
                GcCommittedAfterWarmupBytes = (long)afterWarmup["gc_committed_bytes"]!,
                GcCommittedEndBytes = (long)final["gc_committed_bytes"]!,
            };
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            lock (log) serverLog?.Write(log.ToString());
        }
    }

    [GeneratedRegex("listening on (http://[0-9.:]+)")]
    private static partial Regex Listening();

    private static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static JsonNode Get(HttpClient http, string path) => JsonNode.Parse(http.GetStringAsync(path).GetAwaiter().GetResult())!;

    private static bool Post(HttpClient http, string json, out string response, List<double>? serverLatency)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var r = http.PostAsync("/v1/bars", content).GetAwaiter().GetResult();
        response = r.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!r.IsSuccessStatusCode) return false;
        if (serverLatency is not null)
        {
            using var doc = JsonDocument.Parse(response);
            foreach (var d in doc.RootElement.GetProperty("decisions").EnumerateArray()) serverLatency.Add(d.GetProperty("latency_us").GetInt64());
        }
        return true;
    }

    private static string Body(StringBuilder b, string symbol, BarSeries bars, int from, int count)
    {
        b.Clear();
        b.Append("{\"symbol\":\"").Append(symbol).Append("\",\"bars\":[");
        for (var i = from; i < from + count; i++)
        {
            if (i > from) b.Append(',');
            var bar = Bar.At(bars, i);
            b.Append(CultureInfo.InvariantCulture, $"{{\"time\":\"{ReplayTime.Format(bar.Time)}\",\"open\":{R(bar.Open)},\"high\":{R(bar.High)},\"low\":{R(bar.Low)},\"close\":{R(bar.Close)},\"volume\":{R(bar.Volume)}");
            if (double.IsFinite(bar.Spread)) b.Append(",\"spread\":").Append(R(bar.Spread));
            b.Append('}');
        }
        return b.Append("]}").ToString();
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
