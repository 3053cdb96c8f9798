namespace Kairos.Search;

/// <summary>
/// The objective a worker runs, with whatever it holds for its lifetime (for <c>gbdt</c>: the loaded
/// dataset and its LightGBM datasets, built once and shared by every trial).
/// </summary>
public sealed class StudyObjective(Func<ITrial, double> evaluate, IDisposable? resources = null) : IDisposable
{
    public double Evaluate(ITrial trial) => evaluate(trial);

    public void Dispose() => resources?.Dispose();
}
