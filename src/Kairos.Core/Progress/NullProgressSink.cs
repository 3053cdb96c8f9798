namespace Kairos.Progress;

public sealed class NullProgressSink : IProgressSink
{
    public static readonly NullProgressSink Instance = new();

    public IProgressTask Start(string description, double total) => NullTask.Instance;

    private sealed class NullTask : IProgressTask
    {
        public static readonly NullTask Instance = new();
        public void Advance(double units) { }
        public void SetDescription(string description) { }
        public void Dispose() { }
    }
}
