namespace Kairos.Calibration;

/// <summary>A fitted, immutable map from a model score to a calibrated probability.</summary>
public interface ICalibrator
{
    CalibrationMethod Method { get; }

    /// <summary>Number of samples the calibrator was fitted on.</summary>
    int SampleCount { get; }

    /// <summary>Number of positive samples among them.</summary>
    int PositiveCount { get; }

    /// <summary>Calibrated probability of one score. Throws on a non-finite score.</summary>
    double Apply(double score);

    /// <summary>Calibrates <paramref name="scores"/> into <paramref name="output"/> (same length), score by score.</summary>
    void Apply(ReadOnlySpan<double> scores, Span<double> output)
    {
        CalibrationInput.CheckApply(scores, output);
        for (var i = 0; i < scores.Length; i++)
            output[i] = Apply(scores[i]);
    }
}
