namespace Kairos.Search;

/// <summary>What one worker (or one <see cref="Study.Optimize"/> call) did.</summary>
public sealed record StudyRunReport(string WorkerId, int Complete, int Pruned, int Failed, int LeasesLost, TimeSpan Elapsed)
{
    public int TrialsRun => Complete + Pruned + Failed;
}
