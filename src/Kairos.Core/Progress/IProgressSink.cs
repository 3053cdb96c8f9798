namespace Kairos.Progress;

/// <summary>
/// How library code reports progress. Library code never writes to the console; the CLI renders
/// these reports (Spectre.Console progress bars), tests and benchmarks pass <see cref="NullProgressSink"/>.
/// </summary>
public interface IProgressSink
{
    /// <summary>Starts a task of <paramref name="total"/> units (use 0 when unknown).</summary>
    IProgressTask Start(string description, double total);

    /// <summary>A line worth keeping in the log (a decision such as the threads a stage uses, and why). Ignored by default.</summary>
    void Note(string line)
    {
    }
}

public interface IProgressTask : IDisposable
{
    void Advance(double units);
    void SetDescription(string description);
}
