namespace Kairos.Pipeline;

/// <summary>
/// What <c>kairos run</c> tells the person watching, besides the progress bars of <see cref="Progress.IProgressSink"/>:
/// a stage starts, a stage ends (done, reused, resumed, skipped), a log line (hybrid epochs). The CLI prints these;
/// tests collect them. Library code never writes to the console.
/// </summary>
public interface IRunObserver
{
    void StageStarted(int index, int count, string name);
    void StageFinished(int index, int count, RunStageRecord record);
    void Log(string line);
}
