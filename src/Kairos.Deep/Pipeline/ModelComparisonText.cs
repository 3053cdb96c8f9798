using System.Globalization;
using Kairos.Evaluation;

namespace Kairos.Pipeline;

/// <summary>How a <see cref="ModelComparison"/> is written in the run's stage line, console table and report.</summary>
public static class ModelComparisonText
{
    /// <summary>One line: every model's ROC-AUC and log loss, the others' differences to the chosen one with their intervals.</summary>
    public static string Summary(ModelComparison c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Rows:N0} test rows: ") + string.Join("; ", c.Models.Select(m => string.Create(CultureInfo.InvariantCulture,
            $"{m.Name}{(m.Name == c.Chosen ? " (chosen)" : "")} ROC-AUC {Number(m.RocAuc)} log loss {m.LogLoss:F4}") +
            (m.VersusChosen is { } d ? $" (ROC-AUC diff {Delta(d.RocAuc, d.RocAucInterval)}, log loss diff {Delta(d.LogLoss, d.LogLossInterval)})" : "")));

    /// <summary>A difference with its interval: <c>+0.0123 [-0.0040, +0.0290]</c>; <c>-</c> when there is none.</summary>
    public static string Delta(double? value, ConfidenceInterval? interval) => value is not { } v ? "-"
        : v.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture) + (interval is { } i
            ? string.Create(CultureInfo.InvariantCulture, $" [{i.Lower.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture)}, {i.Upper.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture)}]")
            : "");

    /// <summary>A metric to four decimals, <c>-</c> when undefined.</summary>
    public static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
