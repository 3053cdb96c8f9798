using System.Security.Cryptography;
using Kairos.Progress;

namespace Kairos.Evaluation;

/// <summary>
/// The evaluation stage: validates the options, then computes overall metrics, metrics per session, per
/// volatility regime and (predictions of several symbols) per symbol, event metrics and (when asked for) calibration drift, into one <see cref="EvaluationReport"/>.
/// </summary>
public static class PredictionsEvaluator
{
    public static EvaluationReport Evaluate(Predictions predictions, EvaluationOptions options, IProgressSink? progress = null, string? split = null)
    {
        options.Validate();
        var labels = predictions.RequireLabels();
        CheckProbabilities(predictions);
        if (options.Drift is not null)
            DriftAnalyzer.CheckInput(predictions, options.Drift);
        var overall = BinaryEvaluator.Evaluate(labels, predictions.Probabilities, options, progress, "overall");
        var bySession = predictions.Sessions is null ? null : ByGroup(predictions.Sessions, labels, predictions.Probabilities, options, progress, "session");
        var byVol = predictions.VolRegimes is null ? null : ByGroup(predictions.VolRegimes, labels, predictions.Probabilities, options, progress, "vol_regime");
        // Per symbol only when the predictions pool several: one symbol's report is unchanged.
        var bySymbol = predictions.Symbols is { } symbols && symbols.Distinct(StringComparer.Ordinal).Skip(1).Any()
            ? ByGroup(symbols, labels, predictions.Probabilities, options, progress, "symbol") : null;
        var events = predictions.Timestamps is null ? null : EventEvaluator.Evaluate(predictions, options.Events);
        var drift = options.Drift is null ? null : DriftAnalyzer.Analyze(predictions, options);
        return new EvaluationReport
        {
            Source = predictions.Source,
            SourceSha256 = File.Exists(predictions.Source) ? Sha256(predictions.Source) : null,
            Split = split,
            Options = options,
            Overall = overall,
            BySession = bySession,
            ByVolRegime = byVol,
            BySymbol = bySymbol,
            Events = events,
            Drift = drift,
        };
    }

    private static List<GroupMetrics> ByGroup(
        string[] keys, int[] labels, double[] probabilities, EvaluationOptions options, IProgressSink? progress, string column)
    {
        var result = new List<GroupMetrics>();
        foreach (var group in Enumerable.Range(0, keys.Length).GroupBy(i => keys[i], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = group.ToArray();
            var y = rows.Select(i => labels[i]).ToArray();
            var p = rows.Select(i => probabilities[i]).ToArray();
            result.Add(new GroupMetrics(group.Key, BinaryEvaluator.Evaluate(y, p, options, progress, $"{column} {group.Key}")));
        }
        return result;
    }

    private static void CheckProbabilities(Predictions predictions)
    {
        for (var i = 0; i < predictions.Count; i++)
            if (!(predictions.Probabilities[i] is >= 0 and <= 1))
                throw new Errors.DataException(predictions.Source, i + 2, PredictionsCsv.ProbabilityColumn, "probability-range",
                    $"{predictions.Probabilities[i]} is outside [0, 1]; evaluation needs probabilities (calibrate raw scores first).");
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
