using Kairos.Errors;

namespace Kairos.Evaluation;

/// <summary>
/// Where a run directory or a bundle keeps the predictions to evaluate (docs/metrics.md, "Predictions files"):
/// <c>predictions_&lt;split&gt;.csv</c> at its root.
/// </summary>
public static class PredictionsLocation
{
    private const string Prefix = "predictions_";
    private const string Extension = ".csv";

    public static string FileName(string split) => Prefix + split + Extension;

    /// <summary>The predictions file of <paramref name="split"/> in an artifact directory, or an error naming the path searched.</summary>
    public static string Find(string artifactDirectory, string split, string kind)
    {
        var dir = Path.GetFullPath(artifactDirectory);
        if (!Directory.Exists(dir))
            throw new DataException(dir, "directory-missing", $"{kind} directory not found.");
        var path = Path.Combine(dir, FileName(split));
        if (File.Exists(path)) return path;
        var present = Splits(dir);
        var has = present.Count > 0
            ? $"it has predictions for {string.Join(", ", present.Select(s => $"'{s}'"))} (--split)"
            : "it has no predictions_<split>.csv at all (`kairos train hybrid` and `kairos train lstm` write predictions_val.csv and " +
              "predictions_test.csv unless --predict-splits none, and `kairos bundle build` copies them; a pretraining run has none)";
        throw new DataException(path, "predictions-missing",
            $"the {kind} has no predictions for split '{split}': expected {FileName(split)} (columns timestamp,y_true,y_prob,session,vol_regime; see docs/metrics.md); {has}.");
    }

    /// <summary>The splits that have a predictions file in <paramref name="artifactDirectory"/>, sorted.</summary>
    public static IReadOnlyList<string> Splits(string artifactDirectory) =>
        Directory.EnumerateFiles(artifactDirectory, FileName("*"))
            .Select(Path.GetFileName)
            .Select(name => name![Prefix.Length..^Extension.Length])
            .Where(split => split.Length > 0)
            .Order(StringComparer.Ordinal)
            .ToList();
}
