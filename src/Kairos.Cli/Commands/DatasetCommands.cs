using Kairos.Artifacts;
using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Kairos.Datasets;
using Kairos.Snapshots;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos dataset build | inspect</c>.</summary>
public static class DatasetCommands
{
    public static Command Build() => new("dataset", "Build and inspect leakage-safe training datasets from snapshots.")
    {
        BuildBuild(),
        BuildInspect(),
    };

    private static Command BuildBuild()
    {
        var snapshot = new Option<string>("--snapshot") { Description = "Snapshot directory (from `kairos snapshot create`).", Required = true };
        var config = new Option<string>("--config") { Description = "Dataset YAML (docs/config.md); every key optional.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Root directory of datasets; the dataset is written to ROOT/<id>/.", Required = true };
        var lookahead = new Option<bool>("--check-lookahead")
        {
            Description = "Recompute every feature with the future removed and perturbed at several cut points and fail (exit 3) unless all earlier values are identical.",
        };
        var parallelSymbols = new Option<int>("--parallel-symbols")
        {
            Description = "Symbols computed at once, each on its own core (0, the default: one per core; 1: one after the other). Same files either way.",
        };
        var storage = new Option<string?>("--storage")
        {
            Description = "Build the symbols as work items of a study in this storage (sqlite:PATH, postgres://...), shared with `kairos worker --storage ... --study dataset-<id>` on other machines, then merge them (same files as a build in one process).",
        };
        var queueOnly = new Option<bool>("--queue-only")
        {
            Description = "With --storage: queue the symbols' work items, print the study's name and exit; workers take them, and the same build run again merges.",
        };
        var command = new Command("build", "Compute features, context, eligibility, labels and splits; write ROOT/<id>/ (Parquet per split + dataset.json).")
        {
            snapshot, config, output, lookahead, parallelSymbols, storage, queueOnly,
        };
        CliAction.Set(command, (parse, ctx) =>
        {
            var configPath = parse.GetValue(config)!;
            if (parse.GetValue(parallelSymbols) < 0)
                throw new Errors.ConfigException("dataset build", [$"--parallel-symbols: {parse.GetValue(parallelSymbols)} is negative; give 0 (one per core) or a count"]);
            var cfg = DatasetConfigLoader.LoadFile(configPath);
            var snap = Snapshot.Open(parse.GetValue(snapshot)!);
            var symbols = cfg.Symbols.Count > 0 ? cfg.Symbols.Where(snap.Symbols.Contains).ToList() : snap.Symbols;
            if (parse.GetValue(storage) is not null && parse.GetValue(lookahead))
                throw new Errors.ConfigException("dataset build", ["--check-lookahead runs in one process: leave out --storage, or the check"]);
            if (parse.GetValue(queueOnly))
            {
                var location = parse.GetValue(storage) ?? throw new Errors.ConfigException("dataset build", ["--queue-only queues work items in a study storage: give --storage"]);
                var study = DistributedDatasetBuild.Queue(snap, configPath, parse.GetValue(output)!, location);
                if (ctx.Json) ctx.WriteJson(new { Study = study, Storage = location });
                else ctx.Console.MarkupLine($"queued study [green]{Markup.Escape(study)}[/]: kairos worker --storage {Markup.Escape(location)} --study {Markup.Escape(study)}; then run this build again to merge");
                return ExitCodes.Ok;
            }
            var result = ctx.WithProgress(sink =>
            {
                var options = new DatasetBuildOptions
                {
                    CheckLookahead = parse.GetValue(lookahead),
                    ConfigFile = Path.GetFullPath(configPath),
                    CodeVersion = CodeVersion.Current,
                    ParallelSymbols = parse.GetValue(parallelSymbols),
                    Progress = sink,
                };
                if (parse.GetValue(storage) is { } location)
                    return DistributedDatasetBuild.Run(snap, configPath, parse.GetValue(output)!, location, options, line => ctx.Error.MarkupLine(Markup.Escape(line)));
                return DatasetBuilder.Build(DatasetSource.FromSnapshot(snap, symbols), cfg, parse.GetValue(output)!, options);
            });
            if (ctx.Json)
            {
                ctx.WriteJson(new
                {
                    result.Directory,
                    result.AlreadyExisted,
                    result.Metadata.Id,
                    result.Metadata.FeatureContractHash,
                    result.Metadata.Eligibility,
                    Splits = result.Metadata.Splits.Select(s => new { s.Name, s.Rows, s.StartUtc, s.EndUtc, s.LabelBalance }),
                    result.Metadata.LookaheadCheck,
                });
                return ExitCodes.Ok;
            }
            ctx.Console.MarkupLine((result.AlreadyExisted ? "[yellow]exists[/] " : "[green]built[/] ") + Markup.Escape(result.Directory));
            Render(ctx.Console, result.Metadata);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildInspect()
    {
        var dir = new Argument<string>("DIR") { Description = "Dataset directory ROOT/<id>/." };
        var command = new Command("inspect", "Show a dataset's contract, eligibility, splits and label balance.") { dir };
        CliAction.Set(command, (parse, ctx) =>
        {
            var reader = DatasetReader.Open(parse.GetValue(dir)!);
            return ctx.Finish(reader.Metadata, () => Render(ctx.Console, reader.Metadata));
        });
        return command;
    }

    private static void Render(IAnsiConsole console, DatasetMetadata m)
    {
        static string F(double v, string format = "0.000") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
        var summary = new Table().AddColumns("field", "value").HideHeaders();
        summary.AddRow("id", m.Id);
        summary.AddRow("feature contract hash", m.FeatureContractHash);
        summary.AddRow("symbols", string.Join(", ", m.Symbols));
        summary.AddRow("bar / seq_len", $"{m.BarSeconds} s / {m.SeqLen}");
        summary.AddRow("features", $"{m.SnapshotFeatures.Count} snapshot, {m.SequenceFeatures.Count} sequence, context {string.Join(" ", m.ContextCategorical.Concat(m.ContextContinuous))}");
        summary.AddRow("snapshot", m.Lineage.SnapshotId ?? "-");
        summary.AddRow("config hash", m.Lineage.ConfigHash[..16]);
        summary.AddRow("code version", m.Lineage.CodeVersion ?? "-");
        summary.AddRow("calibration applied", m.CalibrationApplied ? "yes" : "no");
        summary.AddRow("look-ahead check", m.LookaheadCheck is { } l ? $"passed ({l.FeaturesChecked} features, {l.CutTimes.Count} cuts, {l.RowsCompared:N0} values)" : "not run");
        console.Write(summary);

        var elig = new Table().Title("eligibility").AddColumns("reason", "bars", "share");
        foreach (var (reason, count) in m.Eligibility.ByReason)
            elig.AddRow(reason, count.ToString("N0", CultureInfo.InvariantCulture), F(count / (double)Math.Max(1, m.Eligibility.TotalBars), "0.0%"));
        elig.AddRow("[green]eligible[/]", m.Eligibility.Eligible.ToString("N0", CultureInfo.InvariantCulture), F(m.Eligibility.Rate, "0.0%"));
        console.Write(elig);

        static string T(long? t) => t is { } v ? DateTime.UnixEpoch.AddSeconds(v).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";
        var splits = new Table().Title("splits (UTC)").AddColumns("split", "rows", "from", "to", "purged", "embargoed", "scalers");
        var labels = new Table().Title("label balance").AddColumns("split", "y_direction=1", "y_early_move=1", "y_quality", "mae_atr", "mfe_atr");
        foreach (var s in m.Splits)
        {
            splits.AddRow(s.Name, s.Rows.ToString("N0", CultureInfo.InvariantCulture), T(s.StartTime), T(s.EndTime),
                s.Purged.ToString(CultureInfo.InvariantCulture), s.Embargoed.ToString(CultureInfo.InvariantCulture), s.ScalerGroup);
            labels.AddRow(s.Name, F(s.LabelBalance.DirectionPositiveRate), F(s.LabelBalance.EarlyMovePositiveRate), F(s.LabelBalance.QualityMean),
                F(s.LabelBalance.MaeMean), F(s.LabelBalance.MfeMean));
        }
        console.Write(splits);
        console.Write(labels);
    }
}
