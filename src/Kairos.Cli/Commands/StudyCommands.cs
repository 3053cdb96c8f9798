using System.CommandLine;
using System.Globalization;
using Kairos.Errors;
using Kairos.Search;
using Kairos.Trees;
using Spectre.Console;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;
using Kairos.Trees.Tuning;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos study create | list | show | overfit</c>: hyper-parameter studies on SQLite or PostgreSQL.</summary>
public static class StudyCommands
{
    internal static Option<string> StorageOption() => new("--storage")
    {
        Description = "Study database: sqlite:PATH or postgres://user:password@host:port/database.",
        Required = true,
    };

    internal static Option<string> StudyOption() => new("--study") { Description = "Study name.", Required = true };

    public static Command Build() => new("study", "Create, list and inspect hyper-parameter search studies.")
    {
        BuildCreate(),
        BuildList(),
        BuildShow(),
        BuildOverfit(),
    };

    private static Command BuildCreate()
    {
        var storage = StorageOption();
        var name = StudyOption();
        var objective = new Option<string>("--objective") { Description = "Objective kind the workers run: " + string.Join(", ", StudyObjectives.Kinds) + ".", Required = true };
        var spec = new Option<string>("--objective-spec") { Description = "Objective settings as JSON (gbdt: mode, calibration_fraction, parameters).", DefaultValueFactory = _ => "{}" };
        var dataset = new Option<DirectoryInfo?>("--dataset") { Description = "gbdt: the dataset the trees search trains on (a path every worker can read, or give workers --dataset)." };
        var trials = new Option<int>("--trials") { Description = "Trial budget of the study.", DefaultValueFactory = _ => 200 };
        var seed = new Option<long>("--seed") { Description = "Seed that fixes the trial sequence.", DefaultValueFactory = _ => 0 };
        var direction = new Option<string>("--direction") { Description = "minimize or maximize.", DefaultValueFactory = _ => "minimize" };
        direction.AcceptOnlyFromAmong("minimize", "maximize");
        var sampler = new Option<string>("--sampler") { Description = "tpe or random.", DefaultValueFactory = _ => "tpe" };
        sampler.AcceptOnlyFromAmong("tpe", "random");
        var pruner = new Option<string>("--pruner") { Description = "median, successive-halving or none.", DefaultValueFactory = _ => "median" };
        pruner.AcceptOnlyFromAmong("median", "successive-halving", "none");
        var retries = new Option<int>("--max-retries") { Description = "Retries of a trial whose worker died.", DefaultValueFactory = _ => 1 };
        var heartbeat = new Option<double>("--heartbeat-seconds") { Description = "Heartbeat interval of running trials.", DefaultValueFactory = _ => 10 };
        var stale = new Option<double>("--stale-after-seconds") { Description = "A trial without heartbeat this long is taken from its worker.", DefaultValueFactory = _ => 60 };
        var command = new Command("create", "Create a study that 'kairos worker' processes can run (or check an existing one has these settings).")
        {
            storage, name, objective, spec, dataset, trials, seed, direction, sampler, pruner, retries, heartbeat, stale,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var options = new StudyOptions
            {
                Seed = parse.GetValue(seed),
                Direction = parse.GetValue(direction) == "maximize" ? StudyDirection.Maximize : StudyDirection.Minimize,
                Sampler = parse.GetValue(sampler) == "random" ? SamplerKind.Random : SamplerKind.Tpe,
                Pruner = new PrunerOptions
                {
                    Kind = parse.GetValue(pruner) switch
                    {
                        "none" => PrunerKind.None,
                        "successive-halving" => PrunerKind.SuccessiveHalving,
                        _ => PrunerKind.Median,
                    },
                },
                MaxRetries = parse.GetValue(retries),
                HeartbeatSeconds = parse.GetValue(heartbeat),
                StaleAfterSeconds = parse.GetValue(stale),
                ObjectiveKind = parse.GetValue(objective)!,
                ObjectiveSpec = ObjectiveSpec(parse.GetValue(objective)!, parse.GetValue(spec)!, parse.GetValue(dataset)),
            };
            var n = parse.GetValue(trials);
            if (n < 1) throw new ConfigException("--trials", [$"the trial budget must be at least 1 (got {n})"]);
            using var store = StudyStorage.Open(parse.GetValue(storage)!);
            var created = Study.CreateOrLoad(store, parse.GetValue(name)!, options);
            StudyObjectives.Check(created.Record);
            var target = store.EnsureTargetTrials(created.Record.StudyId, n);
            if (ctx.Json) ctx.WriteJson(new { Study = created.Name, Storage = store.Location, TargetTrials = target, Settings = options });
            else ctx.Console.MarkupLine($"study [green]{Markup.Escape(created.Name)}[/] in {Markup.Escape(store.Location)}: budget {target} trials");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The spec stored with the study. For <c>gbdt</c>: <c>--objective-spec</c> completed with the dataset's
    /// path and id and written out in full, so every worker and <c>train gbdt --study</c> read the same settings.
    /// </summary>
    private static string ObjectiveSpec(string kind, string json, DirectoryInfo? dataset)
    {
        if (kind != StudyObjectives.Gbdt)
        {
            if (dataset is not null) throw new ConfigException("--dataset", [$"objective '{kind}' takes no --dataset (walk-forward folds: kairos walkforward create)"]);
            return json;
        }
        var spec = GbdtStudySpec.Parse(json, "--objective-spec");
        // A new study searches on purged time folds unless its spec says otherwise (older specs stored without the key ran on validation).
        if (System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonObject o && !o.ContainsKey("objective"))
            spec = spec with { Objective = GbdtSearchObjectiveKind.Folds };
        if (dataset is not null) spec = spec with { Dataset = dataset.FullName };
        if (string.IsNullOrWhiteSpace(spec.Dataset)) throw new ConfigException("--dataset", ["objective 'gbdt' needs the dataset to search (--dataset DIR)"]);
        var meta = Kairos.Datasets.DatasetReader.Open(spec.Dataset).Metadata;
        if (spec.DatasetId.Length > 0 && spec.DatasetId != meta.Id)
            throw new ConfigException("--objective-spec", [$"dataset_id is {spec.DatasetId} but {spec.Dataset} holds dataset {meta.Id}"]);
        spec = spec with { Dataset = Path.GetFullPath(spec.Dataset), DatasetId = meta.Id };
        var problems = spec.Problems();
        if (problems.Count > 0) throw new ConfigException("--objective-spec", problems);
        return spec.ToJson();
    }

    private static Command BuildList()
    {
        var storage = StorageOption();
        var command = new Command("list", "List the studies in a database with their trial counts and best value.") { storage };
        CliAction.Set(command, (parse, ctx) =>
        {
            using var store = StudyStorage.Open(parse.GetValue(storage)!);
            var studies = store.ListStudies();
            if (ctx.Json)
            {
                ctx.WriteJson(new { Storage = store.Location, Studies = studies });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("study", "objective", "direction", "budget", "complete", "pruned", "failed", "running", "waiting", "best");
            foreach (var s in studies)
                table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.ObjectiveKind), s.Direction.ToString().ToLowerInvariant(), Num(s.TargetTrials),
                    Num(s.Complete), Num(s.Pruned), Num(s.Failed), Num(s.Running), Num(s.Waiting), s.BestValue is { } b ? Fmt(b) : "-");
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildShow()
    {
        var storage = StorageOption();
        var name = StudyOption();
        var top = new Option<int>("--top") { Description = "How many best trials to list.", DefaultValueFactory = _ => 10 };
        var command = new Command("show", "Best trials, parameter importance and retries of one study.") { storage, name, top };
        CliAction.Set(command, (parse, ctx) =>
        {
            using var store = StudyStorage.Open(parse.GetValue(storage)!);
            var study = Study.Load(store, parse.GetValue(name)!);
            var report = StudyReport.Build(study, store, Math.Max(1, parse.GetValue(top)));
            return ctx.Finish(report, () => Render(ctx, report));
        });
        return command;
    }

    private static Command BuildOverfit()
    {
        var storage = StorageOption();
        var name = StudyOption();
        var command = new Command("overfit",
            "Probability of backtest overfitting (CSCV) and deflated Sharpe ratio over the study's complete trials (docs/search.md).") { storage, name };
        CliAction.Set(command, (parse, ctx) =>
        {
            using var store = StudyStorage.Open(parse.GetValue(storage)!);
            var study = Study.Load(store, parse.GetValue(name)!);
            var report = StudyOverfitting.Analyse(study, "--study");
            return ctx.Finish(report, () => RenderOverfit(ctx, report));
        });
        return command;
    }

    /// <summary>The overfitting table, also printed by <c>train gbdt</c> after a search.</summary>
    internal static void RenderOverfit(CliContext ctx, OverfitReport r)
    {
        ctx.Console.MarkupLine($"overfitting of study [bold]{Markup.Escape(r.Study)}[/]: N = {r.Trials} complete trials x S = {r.Blocks} blocks " +
                               $"({r.Rows} validation rows, {StudyOverfitting.Utc(r.FirstTime)} .. {StudyOverfitting.Utc(r.LastTime)}), {r.LogLikelihood.Splits} CSCV splits; " +
                               $"selected trial {r.SelectedTrial} (value {Fmt(r.SelectedValue)}, {r.SelectedTrades} trades)");
        var table = new Table().AddColumns("performance", "PBO", "mean logit", "degradation slope", "P(loss OOS)", "mean IS", "mean OOS");
        foreach (var (label, c) in new[] { ("log-lik gain", r.LogLikelihood), ("return", r.Returns) })
            table.AddRow(Markup.Escape(label), Fmt(c.Pbo), Fmt(c.MeanLogit), c.DegradationSlope is { } s ? Fmt(s) : "-", Fmt(c.ProbabilityOfLoss), Fmt(c.MeanInSample), Fmt(c.MeanOutOfSample));
        ctx.Console.Write(table);
        if (r.DeflatedSharpe is { } d)
            ctx.Console.MarkupLine($"deflated Sharpe ratio of trial {r.SelectedTrial}: DSR {Fmt(d.Dsr)} (SR {Fmt(d.Sharpe)} per sample over T = {d.Observations}, " +
                                   $"expected max SR of N = {d.Trials} unskilled trials {Fmt(d.ExpectedMaxSharpe)}, V[[SR]] {Fmt(d.SharpeVariance)}, skew {Fmt(d.Skewness)}, kurtosis {Fmt(d.Kurtosis)}; PSR vs 0 {Fmt(d.Psr)})");
        ctx.Console.MarkupLine("[grey]log-lik gain: mean ln p(y) + ln 2 per block (nats per sample, 0 = coin flip); return: mean trading return per block (bps per sample, docs/search.md)[/]");
        foreach (var note in r.Notes) ctx.Console.MarkupLine("[grey]" + Markup.Escape(note) + "[/]");
    }

    private static void Render(CliContext ctx, StudyReport r)
    {
        ctx.Console.MarkupLine($"study [bold]{Markup.Escape(r.Study)}[/] ({Markup.Escape(r.Storage)}): {r.Direction}, sampler {r.Sampler}, pruner {r.Pruner}, seed {r.Seed}, objective '{Markup.Escape(r.ObjectiveKind)}'");
        if (r.ObjectiveKind == StudyObjectives.Gbdt && r.ObjectiveSpec is { } spec)
            ctx.Console.MarkupLine($"trees search of dataset {Markup.Escape(spec["dataset_id"]?.ToString() ?? "?")} ({Markup.Escape(spec["dataset"]?.ToString() ?? "?")}), " +
                                   $"mode {Markup.Escape(spec["mode"]?.ToString() ?? "?")}");
        ctx.Console.MarkupLine($"budget {r.TargetTrials}: {r.Complete} complete, {r.Pruned} pruned, {r.Failed} failed, {r.Running} running, {r.Waiting} waiting; {r.RetriedTrials} trial(s) retried after a lost worker");
        var best = new Table().AddColumns("#", "value", "duration s", "attempts").AddColumns(r.ParameterNames.Select(Markup.Escape).ToArray());
        foreach (var t in r.BestTrials)
            best.AddRow([Num(t.Number), Fmt(t.Value), t.DurationSeconds is { } d ? d.ToString("F2", CultureInfo.InvariantCulture) : "-", Num(t.Attempt),
                .. r.ParameterNames.Select(p => t.Params.TryGetValue(p, out var v) ? Markup.Escape(FormatParam(v)) : "-")]);
        ctx.Console.Write(best);
        var imp = new Table().AddColumns("parameter", "importance", "adjusted variance share", "variance share", "groups", "trials");
        foreach (var e in r.Importance)
            imp.AddRow(Markup.Escape(e.Name), Fmt(e.Importance), Fmt(e.AdjustedVarianceShare), Fmt(e.VarianceShare), Num(e.Groups), Num(e.Trials));
        ctx.Console.Write(imp);
        ctx.Console.MarkupLine("[grey]" + Markup.Escape(r.ImportanceMethod) + "[/]");
    }

    private static string FormatParam(object v) => v is double d ? Fmt(d) : Convert.ToString(v, CultureInfo.InvariantCulture)!;

    private static string Num(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
