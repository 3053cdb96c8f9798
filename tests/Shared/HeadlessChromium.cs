using System.Globalization;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kairos.Tests;

/// <summary>
/// Headless Chromium driven over the DevTools protocol (System.Net.WebSockets): opens a page and reports
/// its title, every image's decoded size, console errors, uncaught exceptions and any request that left
/// the page (anything but data: and file: URLs). Chromium comes from Debian's <c>chromium</c> package:
/// .ci/run installs it; outside CI a missing browser is installed here with apt-get, and a browser that
/// cannot be had fails the test loudly.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<JsonObject> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _receiver;
    private int _nextId;

    private HeadlessChromium(Process process, string profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _receiver = Task.Run(ReceiveLoop);
    }

    public sealed record PageImage(string Alt, bool Complete, bool Decoded, int NaturalWidth, int NaturalHeight);

    public sealed record PageCheck(string Title, IReadOnlyList<PageImage> Images, IReadOnlyList<string> ConsoleErrors, IReadOnlyList<string> ExternalRequests);

    public static async Task<HeadlessChromium> StartAsync()
    {
        var executable = await FindOrInstallAsync();
        var profile = TestData.TempDirectory("chromium-profile");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank",
                 })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        // Chromium writes the chosen port and the browser endpoint's path into DevToolsActivePort.
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + Timeout;
        string[]? lines = null;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"chromium exited with code {process.ExitCode}: {stderr}");
            if (File.Exists(portFile))
            {
                lines = (await File.ReadAllLinesAsync(portFile)).Where(l => l.Length > 0).ToArray();
                if (lines.Length >= 2) break;
            }
            await Task.Delay(100);
        }
        if (lines is not { Length: >= 2 })
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not open its DevTools port within {Timeout.TotalSeconds} s: {stderr}");
        }
        var socket = new ClientWebSocket();
        using (var connect = new CancellationTokenSource(Timeout))
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0]}{lines[1]}"), connect.Token);
        var browser = new HeadlessChromium(process, profile, socket);
        lock (stderr) browser._stderr.Append(stderr);
        return browser;
    }

    /// <summary>Loads <paramref name="path"/> in a fresh tab, waits for the load event and every image's decoding, and reports.</summary>
    public async Task<PageCheck> OpenAsync(string path)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var targetId = target["targetId"]!.GetValue<string>();
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = targetId, ["flatten"] = true });
        var session = attached["sessionId"]!.GetValue<string>();
        foreach (var domain in new[] { "Runtime", "Log", "Network", "Page" })
            await SendAsync($"{domain}.enable", new JsonObject(), session);
        int firstEvent;
        lock (_events) firstEvent = _events.Count;
        var navigation = await SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(Path.GetFullPath(path)).AbsoluteUri }, session);
        if (navigation["errorText"] is { } navigationError)
            throw new InvalidOperationException($"chromium could not open {path}: {navigationError}");
        await WaitForEventAsync("Page.loadEventFired", session, firstEvent);

        const string probe = """
            (async () => {
              const images = Array.from(document.images);
              const decoded = await Promise.all(images.map(i => i.decode().then(() => true, () => false)));
              return JSON.stringify({
                title: document.title,
                images: images.map((i, k) => ({ alt: i.alt, complete: i.complete, decoded: decoded[k], w: i.naturalWidth, h: i.naturalHeight })),
              });
            })()
            """;
        var evaluated = await SendAsync("Runtime.evaluate",
            new JsonObject { ["expression"] = probe, ["awaitPromise"] = true, ["returnByValue"] = true }, session);
        if (evaluated["exceptionDetails"] is { } failure)
            throw new InvalidOperationException($"the page probe failed: {failure.ToJsonString()}");
        var result = JsonNode.Parse(evaluated["result"]!["value"]!.GetValue<string>())!;
        // Let late console messages arrive before reading them.
        await Task.Delay(300);
        await SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = targetId });

        var errors = new List<string>();
        var external = new List<string>();
        List<JsonObject> events;
        lock (_events) events = _events.Skip(firstEvent).Where(e => e["sessionId"]?.GetValue<string>() == session).ToList();
        foreach (var e in events)
        {
            var p = e["params"]!;
            switch (e["method"]!.GetValue<string>())
            {
                case "Runtime.exceptionThrown":
                    errors.Add("exception: " + p["exceptionDetails"]!.ToJsonString());
                    break;
                case "Runtime.consoleAPICalled" when p["type"]!.GetValue<string>() is "error" or "assert":
                    errors.Add("console." + p["type"] + ": " + p["args"]!.ToJsonString());
                    break;
                case "Log.entryAdded" when p["entry"]!["level"]!.GetValue<string>() == "error":
                    errors.Add("log: " + p["entry"]!["text"]);
                    break;
                case "Network.requestWillBeSent":
                    var url = p["request"]!["url"]!.GetValue<string>();
                    if (!url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("file:", StringComparison.Ordinal)) external.Add(url);
                    break;
            }
        }
        var images = result["images"]!.AsArray().Select(i => new PageImage(
            i!["alt"]!.GetValue<string>(), i["complete"]!.GetValue<bool>(), i["decoded"]!.GetValue<bool>(), i["w"]!.GetValue<int>(), i["h"]!.GetValue<int>())).ToList();
        return new PageCheck(result["title"]!.GetValue<string>(), images, errors, external);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                _ = SendAsync("Browser.close", new JsonObject());
                await _process.WaitForExitAsync(close.Token).ContinueWith(_ => { });
            }
        }
        finally
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _stop.Cancel();
            _socket.Dispose();
            await _receiver.ContinueWith(_ => { });
            _process.Dispose();
            try { Directory.Delete(_profile, recursive: true); }
            catch (IOException) { /* chromium may still be releasing its profile: the temp directory is left behind */ }
        }
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters, string? session = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null) message["sessionId"] = session;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, _stop.Token);
        var done = await Task.WhenAny(reply.Task, Task.Delay(Timeout));
        if (done != reply.Task) throw new TimeoutException($"chromium did not answer {method} within {Timeout.TotalSeconds} s; stderr: {_stderr}");
        var response = await reply.Task;
        if (response["error"] is { } error) throw new InvalidOperationException($"chromium refused {method}: {error.ToJsonString()}");
        return response["result"]?.AsObject() ?? [];
    }

    private async Task WaitForEventAsync(string method, string session, int from)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_events)
                if (_events.Skip(from).Any(e => e["method"]?.GetValue<string>() == method && e["sessionId"]?.GetValue<string>() == session))
                    return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"chromium sent no {method} within {Timeout.TotalSeconds} s");
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(buffer, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                break;
            }
            if (received.MessageType == WebSocketMessageType.Close) break;
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage) continue;
            var json = JsonNode.Parse(message.ToArray())!.AsObject();
            message.SetLength(0);
            if (json["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var reply)) reply.SetResult(json);
            else lock (_events) _events.Add(json);
        }
        foreach (var pending in _pending.Values) pending.TrySetException(new WebSocketException("the DevTools connection closed"));
    }

    private static async Task<string> FindOrInstallAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Find() is { } found) return found;
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException("chromium is not installed: .ci/run must install Debian's 'chromium' package before the tests");
            var log = new StringBuilder();
            foreach (var args in new[] { "update -qq", "install -y -qq --no-install-recommends chromium" })
            {
                var (code, output) = await RunAsync("apt-get", args);
                log.AppendLine(CultureInfo.InvariantCulture, $"apt-get {args} -> {code}").AppendLine(output);
                if (code != 0) break;
            }
            return Find() ?? throw new InvalidOperationException("chromium is not installed and apt-get could not install it:\n" + log);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
