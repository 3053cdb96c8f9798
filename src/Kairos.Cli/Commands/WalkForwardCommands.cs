using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Search;
using Kairos.Trees;
using Spectre.Console;
using Kairos.Search.Storage;
using Kairos.Trees.Tuning;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos walkforward create | report</c>: the purged forward-chaining folds of a dataset as work
/// items that <c>kairos worker</c> processes train and evaluate, then the per-fold and pooled metrics.
/// </summary>
public static class WalkForwardCommands
{
    private static readonly JsonSerializerOptions StrictJson = new(CliContext.JsonOptions) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static Command Build() => new("walkforward", "Walk-forward folds as work items shared by workers, and their aggregated metrics.")
    {
        BuildCreate(),
        BuildReport(),
    };

    private static Command BuildCreate()
    {
        var storage = StudyCommands.StorageOption();
        var name = StudyCommands.StudyOption();
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "Dataset directory built with splits.folds >= 2 (a path every worker can read).", Required = true };
        var stop = new Option<double>("--stop-fraction") { Description = "Latest fraction of each fold's training rows held out for early stopping and calibration.", DefaultValueFactory = _ => 0.3 };
        var mode = new Option<string>("--mode") { Description = "per-session (one model per session, as train gbdt) or pooled (session as a feature).", DefaultValueFactory = _ => "per-session" };
        mode.AcceptOnlyFromAmong("per-session", "pooled");
        var ensemble = new Option<int>("--ensemble") { Description = "Seeds per model.", DefaultValueFactory = _ => 3 };
        var calibration = new Option<string>("--calibration") { Description = "Per-session calibration: platt or isotonic.", DefaultValueFactory = _ => "platt" };
        calibration.AcceptOnlyFromAmong("platt", "isotonic");
        var parameters = new Option<string?>("--parameters")
        {
            Description = "LightGBM parameters (snake_case GbdtParameters): a JSON file, or the JSON itself, e.g. {\"learning_rate\": 0.03}; its path and SHA-256 are recorded.",
        };
        var bestOf = new Option<string?>("--best-of") { Description = "Train every fold with the best trial of this gbdt study in --storage (a search of the same dataset and mode); instead of --parameters. Its storage, study, trial and value are recorded." };
        var command = new Command("create", "Queue one work item per fold of a dataset (run them with 'kairos worker').") { storage, name, dataset, stop, mode, ensemble, calibration, parameters, bestOf };
        CliAction.Set(command, (parse, ctx) =>
        {
            var given = parse.GetValue(parameters);
            var searched = parse.GetValue(bestOf);
            if (given is not null && searched is not null) throw new ConfigException("--best-of", ["give either --parameters or --best-of, not both"]);
            var modeValue = parse.GetValue(mode) == "pooled" ? GbdtModelMode.Pooled : GbdtModelMode.PerSession;
            using var store = StudyStorage.Open(parse.GetValue(storage)!);
            var (gbdt, source) = (new GbdtParameters(), WalkForwardParameterSource.Defaults);
            if (given is not null) (gbdt, source) = ReadParameters(given);
            if (searched is not null)
            {
                var datasetId = Kairos.Datasets.DatasetReader.Open(parse.GetValue(dataset)!.FullName).Metadata.Id;
                (gbdt, var trial, var value) = GbdtSearch.BestParameters(store, searched, datasetId, modeValue);
                source = WalkForwardParameterSource.BestTrial(store, searched, trial, value);
            }
            var spec = new WalkForwardSpec
            {
                Dataset = parse.GetValue(dataset)!.FullName,
                StopFraction = parse.GetValue(stop),
                Mode = modeValue,
                EnsembleSize = parse.GetValue(ensemble),
                Calibration = CalibratorFile.ParseMethod(parse.GetValue(calibration)!, "--calibration"),
                Parameters = gbdt,
                ParameterSource = source,
            };
            var study = WalkForwardReport.CreateStudy(store, parse.GetValue(name)!, spec);
            var folds = study.Trials().Select(t => (string)t.UserValue(WalkForwardFoldObjective.FoldParam)).ToList();
            if (ctx.Json)
                ctx.WriteJson(new { Study = study.Name, Storage = store.Location, Folds = folds, BestOf = searched, BestTrial = source.Trial, Parameters = gbdt, ParameterSource = source });
            else
            {
                ctx.Console.MarkupLine($"walk-forward study [green]{Markup.Escape(study.Name)}[/]: {folds.Count} fold item(s) queued ({string.Join(", ", folds)}); start 'kairos worker'");
                ctx.Console.MarkupLine($"parameters: {Markup.Escape(source.Describe())}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildReport()
    {
        var storage = StudyCommands.StorageOption();
        var name = StudyCommands.StudyOption();
        var command = new Command("report", "Per-fold and pooled out-of-sample metrics of a finished walk-forward study.") { storage, name };
        CliAction.Set(command, (parse, ctx) =>
        {
            using var store = StudyStorage.Open(parse.GetValue(storage)!);
            var report = WalkForwardReport.Build(Study.Load(store, parse.GetValue(name)!));
            if (ctx.Json)
            {
                ctx.WriteJson(report);
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("fold", "from (UTC)", "to (UTC)", "rows", "positive rate", "log loss (p_cal)", "log loss (raw)", "Brier", "ROC-AUC", "best iterations");
            foreach (var f in report.Folds.Append(report.Pooled))
                table.AddRow(f.Fold, Time(f.StartTime), Time(f.EndTime), f.Rows.ToString(CultureInfo.InvariantCulture),
                    Fmt(f.Rows == 0 ? 0 : (double)f.Positives / f.Rows), Fmt(f.LogLoss), Fmt(f.LogLossRaw), Fmt(f.Brier), f.RocAuc is { } a ? Fmt(a) : "-",
                    f.BestIterations is { } b ? Markup.Escape(string.Join(", ", b.Select(kv => $"{kv.Key} {string.Join("/", kv.Value)}"))) : "-");
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"parameters: {Markup.Escape(report.ParameterSource?.Describe() ?? "source not recorded (the study predates it)")}");
            ctx.Console.MarkupLine(FormattableString.Invariant(
                $"across folds: log loss {report.MeanLogLoss:F5} ± {report.StdLogLoss:F5}, ROC-AUC {report.MeanRocAuc:F4} ± {report.StdRocAuc:F4}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>--parameters</c>: inline JSON when it starts with '{', otherwise the path of a JSON file. Unknown keys are errors, so a
    /// misspelt setting cannot silently fall back to its default in a recorded walk-forward.
    /// </summary>
    private static (GbdtParameters Parameters, WalkForwardParameterSource Source) ReadParameters(string value)
    {
        if (value.TrimStart().StartsWith('{')) return (Parse(Encoding.UTF8.GetBytes(value), "--parameters"), WalkForwardParameterSource.Inline(value));
        var path = Path.GetFullPath(value);
        if (!File.Exists(path))
            throw new ConfigException("--parameters", [$"'{path}' is not a file (give a JSON file of GbdtParameters, or the JSON itself starting with '{{')"]);
        var content = File.ReadAllBytes(path);
        return (Parse(content, $"--parameters {path}"), WalkForwardParameterSource.FromFile(path, content));
    }

    /// <summary>The parameters in <paramref name="json"/> (UTF-8, a byte order mark allowed), valid, or every problem naming <paramref name="source"/>.</summary>
    private static GbdtParameters Parse(ReadOnlySpan<byte> json, string source)
    {
        GbdtParameters? parameters;
        try
        {
            parameters = JsonSerializer.Deserialize<GbdtParameters>(json.StartsWith(Encoding.UTF8.Preamble) ? json[Encoding.UTF8.Preamble.Length..] : json, StrictJson);
        }
        catch (JsonException e)
        {
            throw new ConfigException(source, [e.Message]);
        }
        if (parameters is null) throw new ConfigException(source, ["the JSON is null, not an object of GbdtParameters"]);
        var problems = parameters.Validate();
        if (problems.Count > 0) throw new ConfigException(source, problems);
        return parameters;
    }

    private static string Time(long? t) => t is { } s ? DateTimeOffset.FromUnixTimeSeconds(s).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";

    private static string Fmt(double v) => v.ToString("F5", CultureInfo.InvariantCulture);
}
