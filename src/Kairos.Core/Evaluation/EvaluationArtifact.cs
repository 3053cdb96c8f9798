using System.Text;
using Kairos.Errors;
using Kairos.Artifacts;

namespace Kairos.Evaluation;

/// <summary>
/// Writes an evaluation directory: <c>metrics.json</c>, <c>reliability.png</c> (overall),
/// <c>reliability_session_&lt;name&gt;.png</c> per session, <c>drift_&lt;column&gt;.png</c> per drift analysis and, when given,
/// <c>loss_curves.png</c>. The directory is
/// built under a temporary sibling name and renamed into place; an existing directory is never overwritten.
/// </summary>
public static class EvaluationArtifact
{
    public const string ReliabilityFile = "reliability.png";
    public const string LossCurvesFile = "loss_curves.png";

    /// <summary>Writes the directory and returns the files written (relative names).</summary>
    public static IReadOnlyList<string> Write(EvaluationReport report, string directory, IReadOnlyList<LossSeries>? lossCurves = null)
    {
        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target) || File.Exists(target))
            throw new DataException(target, "artifact-exists", "the output directory already exists; artifacts are immutable, choose a new --out.");
        var temp = ArtifactDirectory.CreateTemporarySibling(Path.GetDirectoryName(target)!, Path.GetFileName(target));
        var written = new List<string>();
        try
        {
            EvaluationReportFile.Save(report, Path.Combine(temp, EvaluationReportFile.FileName));
            written.Add(EvaluationReportFile.FileName);
            ReliabilityPlot.Save(report.Overall, "overall", Path.Combine(temp, ReliabilityFile));
            written.Add(ReliabilityFile);
            foreach (var session in report.BySession ?? [])
            {
                var name = $"reliability_session_{FileSafe(session.Value)}.png";
                ReliabilityPlot.Save(session.Metrics, $"session {session.Value}", Path.Combine(temp, name));
                written.Add(name);
            }
            foreach (var analysis in report.Drift?.Analyses ?? [])
            {
                var name = DriftPlot.FileName(analysis);
                DriftPlot.Save(report.Drift!, analysis, Path.Combine(temp, name));
                written.Add(name);
            }
            if (lossCurves is { Count: > 0 })
            {
                LossCurves.Save(lossCurves, "loss curves", Path.Combine(temp, LossCurvesFile));
                written.Add(LossCurvesFile);
            }
            Directory.Move(temp, target);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        return written;
    }

    /// <summary>Letters, digits, '-' and '_' kept; anything else becomes '_' (distinct names stay distinct via a hash suffix).</summary>
    internal static string FileSafe(string value)
    {
        var sb = new StringBuilder();
        foreach (var ch in value)
            sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_');
        var safe = sb.ToString();
        if (safe == value) return safe;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..8];
        return $"{safe}_{hash}";
    }
}
