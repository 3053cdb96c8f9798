namespace Kairos.Calibration;

/// <summary>Checks of the (score, label) pairs every calibrator is fitted on.</summary>
internal static class CalibrationInput
{
    /// <summary>Validates lengths, finiteness and 0/1 labels; returns the number of positives.</summary>
    public static int Validate(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"scores ({scores.Length}) and labels ({labels.Length}) differ in length.");
        if (scores.Length == 0)
            throw new ArgumentException("cannot fit a calibrator on zero samples.");
        var positives = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
                throw new ArgumentException($"score at index {i} is {scores[i]}; scores must be finite.");
            if (labels[i] is not (0 or 1))
                throw new ArgumentException($"label at index {i} is {labels[i]}; labels must be 0 or 1.");
            positives += labels[i];
        }
        if (positives == 0 || positives == scores.Length)
            throw new ArgumentException(
                $"cannot fit a calibrator on a single class ({scores.Length} samples, {positives} positive): both labels are needed.");
        return positives;
    }

    public static void CheckApply(ReadOnlySpan<double> scores, Span<double> output)
    {
        if (scores.Length != output.Length)
            throw new ArgumentException($"scores ({scores.Length}) and output ({output.Length}) differ in length.");
    }

    public static double CheckScore(double score) =>
        double.IsFinite(score) ? score : throw new ArgumentException($"score {score} is not finite; a calibrator needs a finite score.");
}
