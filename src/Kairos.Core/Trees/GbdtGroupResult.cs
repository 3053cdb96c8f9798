namespace Kairos.Trees;

/// <summary>
/// The models of one group of sessions: one session in per-session mode, all sessions when pooled. The
/// final ensemble trains on every training row of the group; the folds produce its out-of-fold signals.
/// </summary>
public sealed class GbdtGroupResult(string name, IReadOnlyList<string> sessions, int[] trainRows, GbdtEnsemble final, IReadOnlyList<GbdtFoldResult> folds) : IDisposable
{
    /// <summary>The session name, or <c>ALL</c> for the pooled model.</summary>
    public string Name { get; } = name;
    public IReadOnlyList<string> Sessions { get; } = sessions;

    /// <summary>Rows of the training split the final ensemble trained on.</summary>
    public int[] TrainRows { get; } = trainRows;
    public GbdtEnsemble Final { get; } = final;
    public IReadOnlyList<GbdtFoldResult> Folds { get; } = folds;

    public void Dispose()
    {
        Final.Dispose();
        foreach (var fold in Folds) fold.Dispose();
    }
}
