using Kairos.Errors;

namespace Kairos.Evaluation;

/// <summary>
/// Where a run directory or a bundle keeps the predictions to evaluate (docs/metrics.md, "Predictions files"):
/// <c>predictions_&lt;split&gt;.csv</c> at its root.
/// </summary>
public static class PredictionsLocation
{
    public static string FileName(string split) => $"predictions_{split}.csv";

    /// <summary>The predictions file of <paramref name="split"/> in an artifact directory, or an error naming the path searched.</summary>
    public static string Find(string artifactDirectory, string split, string kind)
    {
        var dir = Path.GetFullPath(artifactDirectory);
        if (!Directory.Exists(dir))
            throw new DataException(dir, "directory-missing", $"{kind} directory not found.");
        var path = Path.Combine(dir, FileName(split));
        if (!File.Exists(path))
            throw new DataException(path, "predictions-missing",
                $"the {kind} has no predictions for split '{split}': expected {FileName(split)} (columns timestamp,y_true,y_prob,session,vol_regime; see docs/metrics.md).");
        return path;
    }
}
