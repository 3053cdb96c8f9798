namespace Kairos.Calibration;

/// <summary>Fits a calibrator of a given method on scores and 0/1 labels.</summary>
public static class CalibratorTrainer
{
    public static ICalibrator Fit(CalibrationMethod method, ReadOnlySpan<double> scores, ReadOnlySpan<int> labels) => method switch
    {
        CalibrationMethod.Platt => PlattCalibrator.Fit(scores, labels),
        CalibrationMethod.Isotonic => IsotonicCalibrator.Fit(scores, labels),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown calibration method."),
    };
}
