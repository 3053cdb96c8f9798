namespace Kairos.Calibration;

/// <summary>How raw scores are mapped to calibrated probabilities.</summary>
public enum CalibrationMethod
{
    /// <summary>Platt scaling: a sigmoid <c>1 / (1 + exp(a * s + b))</c> fitted with Platt's target smoothing.</summary>
    Platt,

    /// <summary>Isotonic regression (pool adjacent violators), clipped to the fitted range, linearly interpolated.</summary>
    Isotonic,
}
