using System.Globalization;
using System.CommandLine;
using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Evaluation;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos calibrate fit | apply</c>: calibrate any model's scores, per session when the CSV has one.</summary>
public static class CalibrateCommands
{
    public static Command Build() => new("calibrate", "Fit and apply Platt or isotonic calibrators (one per session) on predictions CSVs.")
    {
        BuildFit(),
        BuildApply(),
    };

    private static Command BuildFit()
    {
        var predictions = new Option<FileInfo>("--predictions") { Description = "CSV with y_true,y_prob and optional session.", Required = true };
        var method = new Option<string>("--method") { Description = "platt or isotonic.", Required = true };
        method.AcceptOnlyFromAmong("platt", "isotonic");
        var output = new Option<FileInfo>("--out") { Description = "Calibrator set JSON to write.", Required = true };
        var command = new Command("fit", "Fit one calibrator per session (or one for all rows when there is no session column).")
        {
            predictions, method, output,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var file = parse.GetValue(predictions)!.FullName;
            var kind = CalibratorFile.ParseMethod(parse.GetValue(method)!, "--method");
            var outPath = parse.GetValue(output)!.FullName;
            var data = PredictionsCsv.Read(file, new PredictionsCsvOptions(RequireLabels: true, RequireUnitInterval: false));
            var labels = data.RequireLabels();
            var sessions = data.Sessions ?? Enumerable.Repeat(SessionCalibratorSet.AllSessions, data.Count).ToArray();
            CheckBothClasses(file, labels, sessions);
            var set = SessionCalibratorSet.Fit(kind, data.Probabilities, labels, sessions);
            set.Save(outPath);

            var rows = set.Keys.Select(k => (k.Session, k.Bucket, Calibrator: set.Get(k.Session, k.Bucket))).ToList();
            if (ctx.Json)
            {
                ctx.WriteJson(new
                {
                    Out = outPath,
                    Method = CalibratorFile.MethodName(kind),
                    Calibrators = rows.Select(r => new
                    {
                        r.Session,
                        r.Bucket,
                        Samples = r.Calibrator.SampleCount,
                        Positives = r.Calibrator.PositiveCount,
                        Summary = Describe(r.Calibrator),
                    }),
                });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("session", "bucket", "samples", "positives", "calibrator");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Session), Markup.Escape(r.Bucket), r.Calibrator.SampleCount.ToString(CultureInfo.InvariantCulture), r.Calibrator.PositiveCount.ToString(CultureInfo.InvariantCulture), Markup.Escape(Describe(r.Calibrator)));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"wrote [green]{Markup.Escape(outPath)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildApply()
    {
        var calibrators = new Option<FileInfo>("--calibrators") { Description = "Calibrator set JSON written by 'calibrate fit'.", Required = true };
        var predictions = new Option<FileInfo>("--predictions") { Description = "CSV with y_prob, optional y_true and session (required when the set is per session).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "CSV to write: the input columns with y_prob calibrated and the raw value in y_prob_raw.", Required = true };
        var command = new Command("apply", "Calibrate the y_prob column of a predictions CSV with a calibrator set; a row whose session has no calibrator is an error.")
        {
            calibrators, predictions, output,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var set = SessionCalibratorSet.Load(parse.GetValue(calibrators)!.FullName);
            var file = parse.GetValue(predictions)!.FullName;
            var outPath = parse.GetValue(output)!.FullName;
            var table = PredictionsCsv.ReadTable(file, new PredictionsCsvOptions(RequireLabels: false, RequireUnitInterval: false));
            if (table.Header.Contains("y_prob_raw"))
                throw new DataException(file, 1, "y_prob_raw", "column-reserved", "the input already has 'y_prob_raw'; was it calibrated before?");
            var data = table.Predictions;
            var sessions = data.Sessions ?? Enumerable.Repeat(SessionCalibratorSet.AllSessions, data.Count).ToArray();
            var calibrated = new double[data.Count];
            set.Apply(data.Probabilities, sessions, calibrated);

            var probCol = table.Header.ToList().IndexOf(PredictionsCsv.ProbabilityColumn);
            var header = table.Header.Append("y_prob_raw").ToList();
            PredictionsCsv.WriteTable(outPath, header, table.Rows.Select((cells, i) =>
            {
                var row = cells.ToList();
                row[probCol] = PredictionsCsv.FormatDouble(calibrated[i]);
                row.Add(cells[probCol]);
                return (IReadOnlyList<string>)row;
            }));
            if (ctx.Json)
                ctx.WriteJson(new { Out = outPath, Rows = data.Count, Method = CalibratorFile.MethodName(set.Method), Calibrators = set.Source });
            else
                ctx.Console.MarkupLine($"calibrated [green]{data.Count}[/] rows with {CalibratorFile.MethodName(set.Method)} from {Markup.Escape(set.Source)}; wrote [green]{Markup.Escape(outPath)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void CheckBothClasses(string file, int[] labels, string[] sessions)
    {
        var counts = new Dictionary<string, (int Rows, int Positives)>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Length; i++)
        {
            counts.TryGetValue(sessions[i], out var c);
            counts[sessions[i]] = (c.Rows + 1, c.Positives + labels[i]);
        }
        var bad = counts.Where(kv => kv.Value.Positives == 0 || kv.Value.Positives == kv.Value.Rows)
            .Select(kv => $"session '{kv.Key}' has {kv.Value.Rows} rows, {kv.Value.Positives} positive")
            .ToList();
        if (bad.Count > 0)
            throw new DataException(file, null, PredictionsCsv.LabelColumn, "single-class",
                "a calibrator needs both labels in every session: " + string.Join("; ", bad) + ".");
    }

    private static string Describe(ICalibrator calibrator) => calibrator switch
    {
        PlattCalibrator p => FormattableString.Invariant($"a = {p.A:G6}, b = {p.B:G6}"),
        IsotonicCalibrator i => FormattableString.Invariant($"{i.Thresholds.Count} points on [{i.Thresholds[0]:G4}, {i.Thresholds[^1]:G4}]"),
        _ => calibrator.Method.ToString(),
    };
}
