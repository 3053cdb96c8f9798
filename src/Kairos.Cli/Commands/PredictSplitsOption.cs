using System.CommandLine;
using System.Globalization;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>--predict-splits</c> of <c>kairos train hybrid</c> and <c>kairos train lstm</c>: the splits a run scores whole with its
/// final weights into <c>predictions_&lt;split&gt;.csv</c> (docs/metrics.md), and the table of what it wrote.
/// </summary>
internal static class PredictSplitsOption
{
    public static Option<string> Create() => new("--predict-splits")
    {
        Description = "Comma-separated splits scored whole with the final weights into predictions_<split>.csv, 'none' for none.",
        DefaultValueFactory = _ => "val,test",
    };

    /// <summary>The split names of <paramref name="text"/> (distinct, in order); empty for <c>none</c>.</summary>
    public static IReadOnlyList<string> Parse(string text, string command)
    {
        if (text.Trim() == "none") return [];
        var splits = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (splits.Length == 0) throw new ConfigException(command, ["--predict-splits needs split names such as val,test, or 'none'"]);
        return splits.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Writes the table of the run's predictions files, when it wrote any.</summary>
    public static void Render(IAnsiConsole console, IReadOnlyList<PredictionsFileSummary> written)
    {
        if (written.Count == 0) return;
        var c = CultureInfo.InvariantCulture;
        string Num(double? v) => v?.ToString("F4", c) ?? "-";
        var table = new Table().Title("predictions (final weights, whole splits)").AddColumns("split", "file", "rows", "positive", "PR-AUC", "ROC-AUC", "Brier");
        foreach (var p in written)
            table.AddRow(p.Split, p.File, p.Direction.Rows.ToString("N0", c), p.Direction.Positives.ToString("N0", c),
                Num(p.Direction.PrAuc), Num(p.Direction.RocAuc), Num(p.Direction.Brier));
        console.Write(table);
    }
}
