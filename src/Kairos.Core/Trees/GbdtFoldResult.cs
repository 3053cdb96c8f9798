using Kairos.Calibration;

namespace Kairos.Trees;

/// <summary>
/// One out-of-fold role: the ensemble trained on <see cref="TrainRows"/> (purged and embargoed around the
/// held-out block) that scores <see cref="HeldOutRows"/>, and its own calibrators, fitted on the
/// calibration part of validation. Row indexes are into the training split.
/// </summary>
public sealed class GbdtFoldResult(int index, long heldOutStart, long heldOutEnd, int[] trainRows, int[] heldOutRows, int purged, int embargoed, GbdtEnsemble models, SessionCalibratorSet calibrators) : IDisposable
{
    public int Index { get; } = index;
    public long HeldOutStart { get; } = heldOutStart;
    public long HeldOutEnd { get; } = heldOutEnd;
    public int[] TrainRows { get; } = trainRows;
    public int[] HeldOutRows { get; } = heldOutRows;
    public int Purged { get; } = purged;
    public int Embargoed { get; } = embargoed;
    public GbdtEnsemble Models { get; } = models;
    public SessionCalibratorSet Calibrators { get; } = calibrators;

    public void Dispose() => Models.Dispose();
}
