using Kairos.Calibration;

namespace Kairos.Trees;

/// <summary>
/// What the tree stage produced: the models of each session group, the final per-session calibrators,
/// the signals of every split, and where each training row's signal came from.
/// </summary>
public sealed class GbdtStageResult(
    GbdtStageOptions options,
    IReadOnlyList<GbdtGroupResult> groups,
    SessionCalibratorSet calibrators,
    IReadOnlyDictionary<string, TreeSignals> signals,
    int[] trainSignalFold,
    long calibrationStartTime,
    bool[] validationCalibrationRows) : IDisposable
{
    public GbdtStageOptions Options { get; } = options;
    public IReadOnlyList<GbdtGroupResult> Groups { get; } = groups;

    /// <summary>Per-session calibrators of the final models (fitted on the calibration part of validation).</summary>
    public SessionCalibratorSet Calibrators { get; } = calibrators;

    /// <summary>Signals by split name (train, val, test, ...), row for row.</summary>
    public IReadOnlyDictionary<string, TreeSignals> Signals { get; } = signals;

    /// <summary>For each training row, the fold whose model (which never trained on it) produced its signal.</summary>
    public int[] TrainSignalFold { get; } = trainSignalFold;

    /// <summary>Validation rows at or after this time fit the calibrators; earlier ones drive early stopping.</summary>
    public long CalibrationStartTime { get; } = calibrationStartTime;

    /// <summary>True for validation rows in the calibration part.</summary>
    public bool[] ValidationCalibrationRows { get; } = validationCalibrationRows;

    /// <summary>The group whose models score <paramref name="session"/>.</summary>
    public GbdtGroupResult GroupOf(string session) =>
        Groups.First(g => g.Sessions.Contains(session, StringComparer.Ordinal));

    public void Dispose()
    {
        foreach (var group in Groups) group.Dispose();
    }
}
