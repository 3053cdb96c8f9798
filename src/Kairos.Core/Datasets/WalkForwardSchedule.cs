namespace Kairos.Datasets;

/// <summary>
/// How a walk-forward cuts the bars into windows (run config section <c>walkforward:</c>, docs/run.md): each window
/// trains on <see cref="Train"/> (or on everything before its test window when <see cref="Train"/> is null: expanding)
/// and is tested on the <see cref="Test"/> that follows; the next window starts <see cref="Step"/> later. The latest
/// <see cref="Validation"/> share of each training window (by time) is its validation tail (early stopping and
/// calibration). <see cref="Purge"/> bars before and <see cref="Embargo"/> bars after each boundary separate the parts
/// (the dataset builder's rules), so a window's training rows end at least purge + embargo bars before its test rows.
/// A last test window cut short by the end of the data is kept when it holds at least half a test window.
/// </summary>
public sealed record WalkForwardSchedule
{
    /// <summary>Length of each training window; null: expanding (from the first bar).</summary>
    public CalendarPeriod? Train { get; init; }

    /// <summary>With an expanding training window: the length of the first one (default: as <see cref="Test"/> x 2).</summary>
    public CalendarPeriod? MinTrain { get; init; }

    public CalendarPeriod Test { get; init; } = new(1, TimeSpan.Zero);

    public CalendarPeriod Step { get; init; } = new(1, TimeSpan.Zero);

    /// <summary>Latest share of each training window (by time) held out for early stopping and calibration.</summary>
    public double Validation { get; init; } = 0.2;

    /// <summary>Start of the first test window (UTC); default: midnight UTC of the first bar's day + the (first) training length.</summary>
    public DateTime? FirstTest { get; init; }

    /// <summary>Keep only the latest this many windows (null: all).</summary>
    public int? MaxWindows { get; init; }

    /// <summary>Bars dropped before each boundary (at least the label horizon).</summary>
    public required int Purge { get; init; }

    /// <summary>Bars dropped after each boundary.</summary>
    public required int Embargo { get; init; }

    public IReadOnlyList<string> Problems(int labelHorizon)
    {
        var problems = new List<string>();
        if (!Test.IsPositive) problems.Add("test: must be a positive length such as 1mo or 2w");
        if (!Step.IsPositive) problems.Add("step: must be a positive length such as 1mo or 2w");
        if (Train is { IsPositive: false }) problems.Add("train: must be a positive length such as 6mo, or 'expanding'");
        if (MinTrain is { IsPositive: false }) problems.Add("min_train: must be a positive length such as 3mo");
        if (Train is not null && MinTrain is not null) problems.Add("min_train: only for an expanding training window (train: expanding)");
        if (!(Validation is >= 0.05 and <= 0.5)) problems.Add($"validation: must be in [0.05, 0.5] (a share of each training window), got {Validation}");
        if (MaxWindows is < 1) problems.Add($"windows: must be at least 1, got {MaxWindows}");
        if (Purge < labelHorizon) problems.Add($"gap.purge: {Purge} bars is shorter than the label horizon ({labelHorizon} bars): training labels would reach into the next part");
        if (Embargo < 0) problems.Add($"gap.embargo: must be >= 0, got {Embargo}");
        return problems;
    }
}
