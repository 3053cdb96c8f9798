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

    public void Dispose() => _writer.Dispose();
}
