using Kairos.Artifacts;
using System.Globalization;
using System.Text.Json;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Features;
using Kairos.Replay;

namespace Kairos.Predict;

/// <summary>
/// Writes a <see cref="PredictionTable"/> as CSV (<c>.csv</c>) or Parquet (<c>.parquet</c>), through a temporary sibling
/// renamed into place. Columns (docs/predict.md): <see cref="Columns"/>. In the CSV a missing value is an empty cell and
/// times are ISO-8601 UTC; <c>y_prob</c> / <c>y_true</c> are filled only on evaluable rows (eligible, scored, labelled), so
/// the file is a <c>kairos eval --predictions</c> input (rows without them are skipped there). In Parquet times are INT64
/// Unix seconds, a missing number is NaN and a missing label -1.
/// </summary>
public static class PredictionFile
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "timestamp", "symbol", "bundle_id", "model_version", "p_long_source", "eligible", "reason",
        "p_hat", "margin", "p_cal", "entropy", "uncertainty_score", "p_long", "p_early_move", "quality_hat", "input_distance",
        "session", "vol_regime", "trend_regime", "atr_bucket", "spread_bucket", "atr_bps", "spread_bps",
        "y_direction", "y_early_move", "y_quality", "mae_atr", "mfe_atr", PredictionsCsv.LabelColumn, PredictionsCsv.ProbabilityColumn,
    ];

    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/> in the format its extension names.</summary>
    public static void Write(PredictionTable table, string path)
    {
        var full = CheckPath(path);
        var extension = Path.GetExtension(full).ToLowerInvariant();
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        if (extension == ".csv")
        {
            PredictionsCsv.WriteTable(full, Columns, Enumerable.Range(0, table.Count).Select(i => (IReadOnlyList<string>)CsvRow(table, i)));
            return;
        }
        AtomicFile.WriteByPath(full, temporary => ParquetColumns.Write(temporary, ParquetTable(table)));
    }

    /// <summary>The full path of an output file whose extension names a format this writer has; a <see cref="ConfigException"/> otherwise (checked before any scoring).</summary>
    public static string CheckPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetExtension(full).ToLowerInvariant() is not (".csv" or ".parquet"))
            throw new ConfigException("predict", [$"--out {path}: the file must end in .csv or .parquet"]);
        return full;
    }

    public static string ReasonName(EligibilityReason reason) => JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString());

    private static string Name(IReadOnlyList<string> names, int id) => id >= 0 && id < names.Count ? names[id] : "";

    private static string[] CsvRow(PredictionTable t, int i)
    {
        var s = t.Signals[i];
        var h = t.Hybrid[i];
        var c = t.Context[i];
        var evaluable = t.IsEvaluable(i);
        return
        [
            ReplayTime.Format(t.Time[i]), t.Symbol, t.BundleId, t.ModelVersion, t.Source == PLongSource.Hybrid ? "hybrid" : "trees",
            t.Eligible(i) ? "1" : "0", ReasonName(t.Reason[i]),
            D(s.PHat), D(s.Margin), D(s.PCal), D(s.Entropy), D(s.UncertaintyScore), D(t.PLong[i]), D(h.PEarlyMove), D(h.Quality), D(t.InputDistance[i]),
            Name(SessionTable.Names, c.SessionId), Name(ContextValues.VolRegimeNames, c.VolRegimeId), Name(ContextValues.TrendRegimeNames, c.TrendRegimeId),
            I(t.AtrBucket(i)), I(t.SpreadBucket(i)), D(c.AtrBps), D(c.SpreadBps),
            I(t.YDirection[i]), I(t.YEarlyMove(i)), D(t.YQuality(i)), D(t.Mae[i]), D(t.Mfe[i]),
            evaluable ? I(t.YDirection[i]) : "", evaluable ? D(t.PLong[i]) : "",
        ];
    }

    private static List<KeyValuePair<string, Array>> ParquetTable(PredictionTable t)
    {
        var n = t.Count;
        T[] Col<T>(Func<int, T> f)
        {
            var a = new T[n];
            for (var i = 0; i < n; i++) a[i] = f(i);
            return a;
        }
        var values = new Array[]
        {
            t.Time.ToArray(), Col(_ => t.Symbol), Col(_ => t.BundleId), Col(_ => t.ModelVersion), Col(_ => t.Source == PLongSource.Hybrid ? "hybrid" : "trees"),
            Col(i => t.Eligible(i) ? 1 : 0), Col(i => ReasonName(t.Reason[i])),
            Col(i => t.Signals[i].PHat), Col(i => t.Signals[i].Margin), Col(i => t.Signals[i].PCal), Col(i => t.Signals[i].Entropy),
            Col(i => t.Signals[i].UncertaintyScore), t.PLong.ToArray(), Col(i => t.Hybrid[i].PEarlyMove), Col(i => t.Hybrid[i].Quality),
            t.InputDistance.ToArray(),
            Col(i => Name(SessionTable.Names, t.Context[i].SessionId)), Col(i => Name(ContextValues.VolRegimeNames, t.Context[i].VolRegimeId)),
            Col(i => Name(ContextValues.TrendRegimeNames, t.Context[i].TrendRegimeId)),
            Col(t.AtrBucket), Col(t.SpreadBucket), Col(i => t.Context[i].AtrBps), Col(i => t.Context[i].SpreadBps),
            t.YDirection.ToArray(), Col(t.YEarlyMove), Col(t.YQuality), t.Mae.ToArray(), t.Mfe.ToArray(),
            Col(i => t.IsEvaluable(i) ? t.YDirection[i] : -1), Col(i => t.IsEvaluable(i) ? t.PLong[i] : double.NaN),
        };
        return Columns.Select((name, k) => new KeyValuePair<string, Array>(name, values[k])).ToList();
    }

    private static string D(double v) => double.IsFinite(v) ? PredictionsCsv.FormatDouble(v) : "";

    private static string I(int v) => v >= 0 ? v.ToString(CultureInfo.InvariantCulture) : "";
}
