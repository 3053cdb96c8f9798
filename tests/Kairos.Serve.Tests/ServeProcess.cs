using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kairos.Snapshots;

namespace Kairos.Serve.Tests;

/// <summary>
/// <c>kairos serve</c> as a real process (the built kairos.dll under <c>dotnet</c>) on a free loopback port (port 0, the
/// address read from its "listening on" log line), driven over real HTTP; or with <c>--stdio</c>, over its pipes.
/// </summary>
internal sealed partial class ServeProcess : IDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(5) };
    public Uri? BaseUri { get; private set; }

    public string StandardError
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>Starts <c>kairos serve ARGS</c>; HTTP mode (no --stdio) waits until it listens.</summary>
    public static ServeProcess Start(params string[] args)
    {
        var stdio = args.Contains("--stdio");
        var process = Process.Start(KairosCli.StartInfo(["serve", .. args, .. stdio ? Array.Empty<string>() : ["--listen", "127.0.0.1:0"]], input: stdio))!;
        var serve = new ServeProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                serve._listening.TrySetException(new InvalidOperationException("kairos serve ended before it listened:\n" + serve.StandardError));
                return;
            }
            lock (serve._stderr) serve._stderr.AppendLine(e.Data);
            if (Listening().Match(e.Data) is { Success: true } m) serve._listening.TrySetResult(m.Groups[1].Value);
        };
        process.BeginErrorReadLine();
        if (!stdio)
        {
            process.BeginOutputReadLine();
            serve.BaseUri = new Uri(serve._listening.Task.WaitAsync(TimeSpan.FromMinutes(3)).GetAwaiter().GetResult());
        }
        return serve;
    }

    /// <summary>Starts <c>kairos serve ARGS</c> expecting it to end at once (refused at start); waits for the exit.</summary>
    public static ServeProcess StartToExit(params string[] args)
    {
        var serve = new ServeProcess(Process.Start(KairosCli.StartInfo(["serve", .. args, "--listen", "127.0.0.1:0"]))!);
        var stdout = serve.Process.StandardOutput.ReadToEndAsync();
        var stderr = serve.Process.StandardError.ReadToEndAsync();
        serve.Process.WaitForExit();
        lock (serve._stderr) serve._stderr.Append(stderr.Result).Append(stdout.Result);
        return serve;
    }

    [GeneratedRegex("listening on (http://[0-9.:]+)")]
    private static partial Regex Listening();

    public async Task<(HttpStatusCode Status, JsonNode? Body)> Post(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(BaseUri!, path), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<(HttpStatusCode Status, string Body)> Get(string path)
    {
        using var response = await Http.GetAsync(new Uri(BaseUri!, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts bars one request each; every answer must be 200 with one decision.</summary>
    public async Task<List<JsonNode>> PostEach(IEnumerable<Bar> bars)
    {
        var decisions = new List<JsonNode>();
        foreach (var bar in bars)
        {
            var (status, body) = await Post("/v1/bars", $$"""{"symbol":"EURUSD","bars":[{{ServeFixture.BarJson(bar)}}]}""");
            Assert.True(status == HttpStatusCode.OK, $"{status}: {body?.ToJsonString()}\n{StandardError}");
            decisions.Add(body!["decisions"]![0]!);
        }
        return decisions;
    }

    /// <summary>Posts bars of <paramref name="symbol"/> <paramref name="size"/> per request, in order; every answer must be 200 with one decision per bar.</summary>
    public async Task<List<JsonNode>> PostBatches(IReadOnlyList<Bar> bars, int size, string symbol = "EURUSD")
    {
        var decisions = new List<JsonNode>(bars.Count);
        for (var start = 0; start < bars.Count; start += size)
        {
            var batch = string.Join(",", Enumerable.Range(start, Math.Min(size, bars.Count - start)).Select(i => ServeFixture.BarJson(bars[i])));
            var (status, body) = await Post("/v1/bars", $$"""{"symbol":"{{symbol}}","bars":[{{batch}}]}""");
            Assert.True(status == HttpStatusCode.OK, $"{status}: {body?.ToJsonString()}\n{StandardError}");
            decisions.AddRange(body!["decisions"]!.AsArray().Select(d => d!));
        }
        Assert.Equal(bars.Count, decisions.Count);
        return decisions;
    }

    public async Task<JsonNode> Status() => JsonNode.Parse((await Get("/v1/status")).Body)!;

    /// <summary>kill -9: no drain, no flush.</summary>
    public void Kill9()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    /// <summary>Sends a signal (TERM, HUP) with kill(1).</summary>
    public void Signal(string name) => KairosCli.Signal(Process.Id, name);

    public void Dispose()
    {
        Http.Dispose();
        if (!Process.HasExited) Kill9();
        Process.Dispose();
    }
}
