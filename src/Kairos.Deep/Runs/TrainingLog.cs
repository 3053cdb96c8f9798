namespace Kairos.Deep.Runs;

/// <summary>
/// The run's <c>training.log</c>: every line is appended and flushed at once (a crash loses nothing),
/// and handed to <c>echo</c> (the CLI prints it), so the log is a tee of what the user saw.
/// </summary>
public sealed class TrainingLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Action<string>? _echo;
    private readonly TimeProvider _time;

    public TrainingLog(string path, Action<string>? echo, TimeProvider time)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        _echo = echo;
        _time = time;
    }

    public void Line(string message)
    {
        _writer.WriteLine($"{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {message}");
        _echo?.Invoke(message);
    }

    /// <summary>The run's success checks, one line each under a heading (every trainer ends its log with them).</summary>
    public void Checks(IEnumerable<SuccessCheck> checks)
    {
        Line("success checks:");
        foreach (var c in checks)
            Line($"  [{(c.Passed ? "PASS" : "FAIL")}] {c.Name}: {c.Detail}");
    }

    public void Dispose() => _writer.Dispose();
}
