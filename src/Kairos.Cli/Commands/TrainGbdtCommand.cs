using System.CommandLine;
using System.Globalization;
using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Search;
using Kairos.Trees;
using Spectre.Console;
using Kairos.Artifacts;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>kairos train gbdt --dataset DIR --out DIR [--trials N]</c>: LightGBM direction models per session,
/// per-session calibrators, and an enriched dataset with out-of-fold signals.
/// </summary>
public static class TrainGbdtCommand
{
    public static Command Build()
    {
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "Dataset directory (datasets/<id>).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Root for the trees artifact <out>/<id>/.", Required = true };
        var trials = new Option<int>("--trials") { Description = "Hyperparameter search trials (TPE, pruned, stored in SQLite, resumable); 0 = no search. With --storage: raises the shared study's budget to N (default: the study's own budget).", DefaultValueFactory = _ => 200 };
        var mode = new Option<string>("--mode") { Description = "per-session (one model per session) or pooled (session as a feature).", DefaultValueFactory = _ => "per-session" };
        mode.AcceptOnlyFromAmong("per-session", "pooled");
        var calibration = new Option<string>("--calibration") { Description = "Per-session calibration: platt or isotonic. Always required.", DefaultValueFactory = _ => "platt" };
        calibration.AcceptOnlyFromAmong("platt", "isotonic");
        var folds = SettingOption.Create(GbdtStageOptions.Settings.Folds);
        var ensemble = SettingOption.Create(GbdtStageOptions.Settings.Ensemble);
        var seed = SettingOption.Create(GbdtParameters.Settings.Seed);
        var threads = ThreadsOption.Create("LightGBM");
        var sampler = new Option<string>("--sampler") { Description = "Search sampler: tpe or random.", DefaultValueFactory = _ => "tpe" };
        sampler.AcceptOnlyFromAmong("tpe", "random");
        var searchSeed = new Option<long>("--search-seed") { Description = "Seed that fixes the trial sequence.", DefaultValueFactory = _ => 0 };
        var study = new Option<FileInfo?>("--study-storage") { Description = "SQLite study file (default <out>/gbdt-studies.sqlite)." };
        var sharedStorage = new Option<string?>("--storage") { Description = "Share the search with 'kairos worker' processes: sqlite:PATH or postgres://... (joins or creates the study, works on it until its budget is finished, trains from its best trial)." };
        var sharedStudy = new Option<string?>("--study") { Description = "Study name in --storage (default: derived from the dataset and settings; see 'kairos study create --objective gbdt')." };
        var overfitBlocks = new Option<int>("--overfit-blocks") { Description = "Time blocks of the early-stopping validation rows for each trial's performance series (even, 4..20; CSCV / PBO).", DefaultValueFactory = _ => 16 };
        var overfitMargin = new Option<double>("--overfit-margin") { Description = "Trading rule of the series: long when p > 0.5 + m, short when p < 0.5 - m.", DefaultValueFactory = _ => 0.02 };
        var searchObjective = new Option<string>("--search-objective") { Description = "What search trials are scored on: folds (purged time folds over the training split) or validation (validation's early-stopping part).", DefaultValueFactory = _ => "folds" };
        var searchFolds = SettingOption.Create(GbdtSearchOptions.Settings.SearchFolds);
        var maxPbo = SettingOption.Create(GbdtSearchOptions.Settings.MaxPbo);
        var enrichedOut = new Option<DirectoryInfo?>("--enriched-out") { Description = "Root for the enriched dataset (default: beside the input dataset)." };
        var command = new Command("gbdt", "Train LightGBM direction models per session, calibrate them per session, and write a dataset enriched with out-of-fold signals.")
        {
            dataset, output, trials, mode, calibration, folds, ensemble, seed, threads, sampler, searchSeed, study, sharedStorage, sharedStudy, overfitBlocks, overfitMargin, searchObjective, searchFolds, maxPbo, enrichedOut,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var shared = parse.GetValue(sharedStorage);
            if (shared is null && parse.GetValue(sharedStudy) is not null)
                throw new ConfigException("--study", ["--study names a study in --storage; give --storage too"]);
            // With a shared study the budget is the study's unless --trials is given explicitly.
            var threadSetting = ThreadsOption.Read(parse, threads);
            var objectiveKind = parse.GetValue(searchObjective) switch
            {
                "folds" => GbdtSearchObjectiveKind.Folds,
                "validation" => GbdtSearchObjectiveKind.Validation,
                var other => throw new ConfigException("--search-objective", [$"must be 'folds' or 'validation', got '{other}'"]),
            };
            var trialCount = shared is not null && parse.GetResult(trials) is null or { Implicit: true } ? 0 : parse.GetValue(trials);
            var options = new GbdtRunOptions
            {
                Dataset = parse.GetValue(dataset)!.FullName,
                Out = parse.GetValue(output)!.FullName,
                EnrichedOut = parse.GetValue(enrichedOut)?.FullName,
                StudyStorage = parse.GetValue(study)?.FullName,
                SharedStudy = shared is null ? null : new GbdtSharedStudy(shared, parse.GetValue(sharedStudy)),
                CodeVersion = CodeVersion.Current,
                Stage = new GbdtStageOptions
                {
                    Mode = parse.GetValue(mode) == "pooled" ? GbdtModelMode.Pooled : GbdtModelMode.PerSession,
                    Calibration = CalibratorFile.ParseMethod(parse.GetValue(calibration)!, "--calibration"),
                    Folds = parse.GetValue(folds),
                    EnsembleSize = parse.GetValue(ensemble),
                    Parameters = new GbdtParameters { Seed = parse.GetValue(seed) },
                },
                Threads = threadSetting,
                Search = new GbdtSearchOptions
                {
                    Trials = trialCount,
                    Seed = parse.GetValue(searchSeed),
                    Sampler = parse.GetValue(sampler) == "random" ? SamplerKind.Random : SamplerKind.Tpe,
                    Overfit = new GbdtOverfitOptions { Blocks = parse.GetValue(overfitBlocks), Margin = parse.GetValue(overfitMargin) },
                    Objective = objectiveKind,
                    ObjectiveFolds = parse.GetValue(searchFolds),
                    MaxPbo = parse.GetValue(maxPbo),
                },
            };
            var report = ctx.WithProgress(sink => GbdtRun.Execute(options, TimeProvider.System, sink));
            return ctx.Finish(report, () => Render(ctx, report));
        });
        return command;
    }

    private static void Render(CliContext ctx, GbdtRunReport report)
    {
        var meta = report.Metadata;
        var table = new Table().AddColumns("split", "rows", "pos. rate", "ROC-AUC (p_cal)", "log loss raw", "log loss cal", "mean p_cal", "signals");
        foreach (var (name, m) in meta.Metrics)
        {
            var auc = m.RocAuc is { } a ? a.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
            if (m.RocAucCi95 is { } ci) auc += $" [{ci[0].ToString("F4", CultureInfo.InvariantCulture)}, {ci[1].ToString("F4", CultureInfo.InvariantCulture)}]";
            table.AddRow(Markup.Escape(name), m.Rows.ToString(CultureInfo.InvariantCulture), F(m.PositiveRate), Markup.Escape(auc), F(m.LogLossRaw), F(m.LogLossCalibrated), F(m.MeanPCal),
                Markup.Escape(string.Join(", ", m.SignalSource.Select(kv => $"{kv.Key} {kv.Value}"))));
        }
        ctx.Console.Write(table);
        var models = new Table().AddColumns("group", "train rows", "best iterations (final)", "top features by gain");
        foreach (var g in meta.Groups)
            models.AddRow(Markup.Escape(g.Name), g.TrainRows.ToString(CultureInfo.InvariantCulture), string.Join(", ", g.Final.Select(m => m.BestIteration)),
                Markup.Escape(string.Join(", ", meta.Importance[g.Name].Take(5).Select(f => f.Feature))));
        ctx.Console.Write(models);
        if (meta.Search is { } s)
        {
            ctx.Console.MarkupLine($"search: {s.Complete} complete, {s.Pruned} pruned, {s.Failed} failed in {s.Seconds:F1} s; best held-out log loss {F(s.BestValue)} (trial {s.BestTrial}, objective {s.Objective.ToString().ToLowerInvariant()}), study [blue]{Markup.Escape(s.Study)}[/] in {Markup.Escape(s.Storage)}");
            if (meta.SearchCheck is { } check)
                ctx.Console.Write(SearchCheckTable(check));
            if (s.Overfit is { } o)
                StudyCommands.RenderOverfit(ctx, o);
            else if (s.OverfitUnavailable is { } why)
                ctx.Console.MarkupLine($"[yellow]overfitting: not computed: {Markup.Escape(why)}[/]");
        }
        ctx.Console.MarkupLine($"{(report.Reused ? "already existed" : "wrote")} trees [green]{Markup.Escape(report.ArtifactDirectory)}[/] and enriched dataset [green]{Markup.Escape(report.EnrichedDatasetDirectory)}[/] (calibration_applied: true)");
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string F(double? value) => value is { } v ? F(v) : "n/a";

    /// <summary>The search out of time: best trial (held-out and test ROC-AUC, the drop), median trial, defaults, PBO and the fallback.</summary>
    internal static Table SearchCheckTable(GbdtSearchCheck c)
    {
        var table = new Table().Title("search out of time (test ROC-AUC: one seed per group, raw p_hat)").AddColumns("parameters", "held-out ROC-AUC", "test ROC-AUC");
        table.AddRow(Markup.Escape($"best trial {c.BestTrial}"), F(c.BestHeldOutAuc), F(c.BestTestAuc));
        table.AddRow(Markup.Escape($"median trial {c.MedianTrial?.ToString(CultureInfo.InvariantCulture) ?? "n/a"}"), "", F(c.MedianTestAuc));
        table.AddRow("defaults (no search)", "", F(c.DefaultTestAuc));
        table.Caption(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"validation-to-test drop of the best trial: {F(c.ValidationToTestDrop)}; PBO {F(c.Pbo)} (max {c.MaxPbo:0.##}); {c.Note}")));
        return table;
    }
}
