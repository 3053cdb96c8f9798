using Kairos.Artifacts;
using System.Globalization;
using System.Text;
using Kairos.Errors;

namespace Kairos.Evaluation;

/// <summary>
/// Reads and writes the predictions CSV (docs/metrics.md): a header line, comma-separated, no quoting;
/// <c>y_prob</c> required, <c>y_true</c> required unless <see cref="PredictionsCsvOptions.RequireLabels"/> is
/// off, optional <c>session</c>, <c>vol_regime</c>, <c>timestamp</c>, <c>symbol</c>, and the bucket columns asked for in
/// <see cref="PredictionsCsvOptions.BucketColumns"/>. Other columns are carried
/// through by <see cref="ReadTable"/> and ignored by <see cref="Read"/>. Every bad cell fails with the file,
/// line, column and rule; nothing is skipped.
/// </summary>
public static class PredictionsCsv
{
    public const string LabelColumn = "y_true";
    public const string ProbabilityColumn = "y_prob";
    public const string SessionColumn = "session";
    public const string VolRegimeColumn = "vol_regime";
    public const string TimestampColumn = "timestamp";
    public const string SymbolColumn = "symbol";
    /// <summary>The column that marks a <c>kairos predict</c> file, whose rows without <c>y_prob</c> and <c>y_true</c> are skipped.</summary>
    public const string EligibleColumn = "eligible";

    public static Predictions Read(string path, PredictionsCsvOptions? options = null) => ReadTable(path, options).Predictions;

    /// <summary>Reads the file, keeping the raw header and cells so a command can write them back.</summary>
    public static PredictionsTable ReadTable(string path, PredictionsCsvOptions? options = null)
    {
        options ??= new PredictionsCsvOptions();
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new DataException(full, "file-missing", "predictions file not found.");
        using var reader = new StreamReader(full, Encoding.UTF8);
        var headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine))
            throw new DataException(full, 1, null, "header-missing", $"the first line must be a header with at least '{ProbabilityColumn}'.");
        var header = headerLine.Split(',').Select(h => h.Trim()).ToArray();
        CheckHeader(full, header, options);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++) index[header[i]] = i;

        int Col(string name) => index.TryGetValue(name, out var i) ? i : -1;
        int probCol = Col(ProbabilityColumn), labelCol = Col(LabelColumn), sessionCol = Col(SessionColumn);
        int volCol = Col(VolRegimeColumn), timeCol = Col(TimestampColumn), symbolCol = Col(SymbolColumn), eligibleCol = Col(EligibleColumn);
        var bucketNames = (options.BucketColumns ?? []).Where(b => b is not (SessionColumn or VolRegimeColumn)).Distinct(StringComparer.Ordinal).ToArray();
        var bucketCols = bucketNames.Select(Col).ToArray();
        var bucketValues = bucketNames.Select(_ => new List<string>()).ToArray();

        var rows = new List<string[]>();
        var probs = new List<double>();
        var labels = new List<int>();
        var sessions = new List<string>();
        var vols = new List<string>();
        var times = new List<long>();
        var symbols = new List<string>();
        long line = 1;
        long skipped = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (text.Length == 0 && reader.Peek() < 0)
                break;
            if (text.Contains('"'))
                throw new DataException(full, line, null, "quoting-unsupported", "quoted fields are not supported; values must not contain commas or quotes.");
            var cells = text.Split(',');
            if (cells.Length != header.Length)
                throw new DataException(full, line, null, "field-count", $"expected {header.Length} fields as in the header, found {cells.Length}.");
            for (var c = 0; c < cells.Length; c++) cells[c] = cells[c].Trim();
            // A `kairos predict` file (it has an `eligible` column) holds every bar of its window; only the evaluable
            // ones (eligible, scored, labelled) carry y_prob and y_true, the others leave both empty and are skipped.
            if (eligibleCol >= 0 && cells[probCol].Length == 0 && (labelCol < 0 || cells[labelCol].Length == 0))
            {
                skipped++;
                continue;
            }
            rows.Add(cells);

            probs.Add(ParseProbability(full, line, cells[probCol], options.RequireUnitInterval));
            if (labelCol >= 0) labels.Add(ParseLabel(full, line, cells[labelCol]));
            if (sessionCol >= 0) sessions.Add(NonEmpty(full, line, SessionColumn, cells[sessionCol]));
            if (volCol >= 0) vols.Add(NonEmpty(full, line, VolRegimeColumn, cells[volCol]));
            if (timeCol >= 0) times.Add(ParseTimestamp(full, line, cells[timeCol]));
            if (symbolCol >= 0) symbols.Add(NonEmpty(full, line, SymbolColumn, cells[symbolCol]));
            for (var b = 0; b < bucketCols.Length; b++) bucketValues[b].Add(NonEmpty(full, line, bucketNames[b], cells[bucketCols[b]]));
        }
        if (rows.Count == 0)
            throw new DataException(full, 2, null, "no-rows", skipped > 0
                ? $"none of its {skipped} rows is evaluable (eligible, scored and labelled: y_prob and y_true filled)."
                : "the file has a header but no prediction rows.");

        var predictions = new Predictions(
            full,
            [.. probs],
            labelCol >= 0 ? [.. labels] : null,
            sessionCol >= 0 ? [.. sessions] : null,
            volCol >= 0 ? [.. vols] : null,
            timeCol >= 0 ? [.. times] : null,
            symbolCol >= 0 ? [.. symbols] : null,
            bucketNames.Length == 0 ? null : bucketNames.Select((name, b) => (name, values: bucketValues[b].ToArray()))
                .ToDictionary(x => x.name, x => x.values, StringComparer.Ordinal));
        if (predictions.Timestamps is not null)
            CheckUniqueTimestamps(full, predictions);
        return new PredictionsTable(header, rows, predictions);
    }

    /// <summary>Writes <paramref name="header"/> and <paramref name="rows"/> to a temporary sibling, then renames it into place.</summary>
    public static void WriteTable(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            writer.NewLine = "\n";
            writer.WriteLine(string.Join(',', header));
            foreach (var row in rows)
                writer.WriteLine(string.Join(',', row));
        });
    }

    /// <summary>Writes a predictions file in the documented column order from <paramref name="predictions"/>.</summary>
    public static void Write(string path, Predictions predictions)
    {
        var header = new List<string>();
        if (predictions.Timestamps is not null) header.Add(TimestampColumn);
        if (predictions.Symbols is not null) header.Add(SymbolColumn);
        if (predictions.Labels is not null) header.Add(LabelColumn);
        header.Add(ProbabilityColumn);
        if (predictions.Sessions is not null) header.Add(SessionColumn);
        if (predictions.VolRegimes is not null) header.Add(VolRegimeColumn);
        WriteTable(path, header, Enumerable.Range(0, predictions.Count).Select(i =>
        {
            var row = new List<string>(header.Count);
            if (predictions.Timestamps is not null) row.Add(predictions.Timestamps[i].ToString(CultureInfo.InvariantCulture));
            if (predictions.Symbols is not null) row.Add(predictions.Symbols[i]);
            if (predictions.Labels is not null) row.Add(predictions.Labels[i].ToString(CultureInfo.InvariantCulture));
            row.Add(FormatDouble(predictions.Probabilities[i]));
            if (predictions.Sessions is not null) row.Add(predictions.Sessions[i]);
            if (predictions.VolRegimes is not null) row.Add(predictions.VolRegimes[i]);
            return (IReadOnlyList<string>)row;
        }));
    }

    /// <summary>Round-trip exact, invariant formatting.</summary>
    public static string FormatDouble(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void CheckHeader(string file, string[] header, PredictionsCsvOptions options)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0)
                throw new DataException(file, 1, $"#{i + 1}", "header-empty-name", "every header field needs a name.");
            if (!seen.Add(header[i]))
                throw new DataException(file, 1, header[i], "header-duplicate", $"column '{header[i]}' appears twice.");
        }
        if (!seen.Contains(ProbabilityColumn))
            throw new DataException(file, 1, ProbabilityColumn, "column-missing", $"required column '{ProbabilityColumn}' is missing (header: {string.Join(',', header)}).");
        if (options.RequireLabels && !seen.Contains(LabelColumn))
            throw new DataException(file, 1, LabelColumn, "column-missing", $"required column '{LabelColumn}' is missing (header: {string.Join(',', header)}).");
        foreach (var bucket in options.BucketColumns ?? [])
            if (!seen.Contains(bucket))
                throw new DataException(file, 1, bucket, "column-missing",
                    $"bucket column '{bucket}' was asked for but is not in the header ({string.Join(',', header)}).");
    }

    private static double ParseProbability(string file, long line, string cell, bool unitInterval)
    {
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || !double.IsFinite(p))
            throw new DataException(file, line, ProbabilityColumn, "number-format", $"'{cell}' is not a finite number.");
        if (unitInterval && p is < 0 or > 1)
            throw new DataException(file, line, ProbabilityColumn, "probability-range", $"{cell} is outside [0, 1].");
        return p;
    }

    private static int ParseLabel(string file, long line, string cell) => cell switch
    {
        "0" => 0,
        "1" => 1,
        _ => throw new DataException(file, line, LabelColumn, "label-binary", $"'{cell}' is not a label 0 or 1."),
    };

    private static string NonEmpty(string file, long line, string column, string cell) =>
        cell.Length > 0 ? cell : throw new DataException(file, line, column, "value-empty", $"column '{column}' must not be empty.");

    private static long ParseTimestamp(string file, long line, string cell)
    {
        if (long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
            return seconds;
        if (DateTimeOffset.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return time.ToUnixTimeSeconds();
        throw new DataException(file, line, TimestampColumn, "timestamp-format", $"'{cell}' is neither Unix seconds nor an ISO-8601 time.");
    }

    private static void CheckUniqueTimestamps(string file, Predictions p)
    {
        var seen = new Dictionary<(string, long), int>();
        for (var i = 0; i < p.Count; i++)
        {
            var key = (p.Symbols?[i] ?? "", p.Timestamps![i]);
            if (!seen.TryAdd(key, i))
                throw new DataException(file, i + 2, TimestampColumn, "timestamp-duplicate",
                    $"timestamp {p.Timestamps[i]}{(p.Symbols is null ? "" : $" of symbol {p.Symbols[i]}")} already appears on line {seen[key] + 2}.");
        }
    }
}
