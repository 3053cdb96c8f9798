using System.CommandLine;
using System.Globalization;
using Kairos.Bundles;
using Kairos.Registry;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos registry list | show | promote | rollback</c>.</summary>
public static class RegistryCommands
{
    public static Command Build() => new("registry", "Dated, immutable bundle versions with an atomically switched 'best' pointer.")
    {
        BuildList(),
        BuildShow(),
        BuildPromote(),
        BuildRollback(),
    };

    private static Option<string> RootOption() => new("--root", "-r")
    {
        Description = "Registry directory (created by the first promote).",
        Required = true,
    };

    private static ModelRegistry Open(ParseResult parse, Option<string> root) =>
        new(parse.GetValue(root)!, new RegistryOptions { ContractAuthority = RunningFeatureContract.Instance });

    private static Command BuildList()
    {
        var root = RootOption();
        var list = new Command("list", "List every version, newest first, with the best one and the rollback order.") { root };
        CliAction.Set(list, (parse, ctx) =>
        {
            var registry = Open(parse, root);
            var versions = registry.List();
            if (ctx.Json)
            {
                ctx.WriteJson(new { registry.Root, Best = registry.BestVersion(), Versions = versions });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumn("version").AddColumn("best").AddColumn("rollback").AddColumn("variant")
                .AddColumn("contract").AddColumn("gate").AddColumn(new TableColumn("PR-AUC").RightAligned())
                .AddColumn(new TableColumn("Brier").RightAligned()).AddColumn(new TableColumn("p99 ms").RightAligned());
            foreach (var v in versions)
                table.AddRow(
                    Markup.Escape(v.Name), v.IsBest ? "[green]*[/]" : "", v.RollbackPosition?.ToString(CultureInfo.InvariantCulture) ?? "",
                    Markup.Escape(v.ModelVariant ?? "?"), Markup.Escape(v.FeatureContractHash ?? "?"), Markup.Escape(v.GateVerdict ?? "?"),
                    Number(v.PrAuc, "0.0000"), Number(v.Brier, "0.0000"), Number(v.LatencyP99Ms, "0.000"));
            ctx.Console.Write(table);
            if (versions.Count == 0) ctx.Console.MarkupLine($"registry {Markup.Escape(registry.Root)} has no versions");
            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command BuildShow()
    {
        var root = RootOption();
        var version = new Argument<string?>("VERSION") { Description = "Version name (default: best).", Arity = ArgumentArity.ZeroOrOne };
        var show = new Command("show", "Show and fully verify one version (default: best); exit code 3 when it fails verification.") { root, version };
        CliAction.Set(show, (parse, ctx) =>
        {
            var (v, verification) = Open(parse, root).Show(parse.GetValue(version));
            if (ctx.Json)
                ctx.WriteJson(new { Version = v, verification.Passed, verification.Checks });
            else
            {
                ctx.Console.MarkupLine($"version [bold]{Markup.Escape(v.Name)}[/]{(v.IsBest ? " [green](best)[/]" : "")}: bundle {Markup.Escape(v.BundleId ?? "?")}, built {v.BuiltAt:u}");
                BundleCommands.Render(ctx, verification);
            }
            verification.ThrowIfFailed();
            return ExitCodes.Ok;
        });
        return show;
    }

    private static Command BuildPromote()
    {
        var root = RootOption();
        var source = new Argument<string>("BUNDLE") { Description = "Bundle directory, or the name of a registered version." };
        var allowUngated = new Option<bool>("--allow-ungated") { Description = "Promote a bundle that carries no gate verdict (recorded in the history)." };
        var reason = new Option<string?>("--reason") { Description = "Why, recorded in the history." };
        var promote = new Command("promote", "Verify a bundle and its gate verdict, register it as a dated version and make it best (exit 3: verification failed, 4: gate failed).")
        {
            root, source, allowUngated, reason,
        };
        CliAction.Set(promote, (parse, ctx) =>
        {
            var change = Open(parse, root).Promote(parse.GetValue(source)!, parse.GetValue(allowUngated), parse.GetValue(reason));
            Report(ctx, change);
            return ExitCodes.Ok;
        });
        return promote;
    }

    private static Command BuildRollback()
    {
        var root = RootOption();
        var to = new Option<string?>("--to") { Description = "Version to return to (default: the one that was best before the current one)." };
        var reason = new Option<string?>("--reason") { Description = "Why, recorded in the history." };
        var rollback = new Command("rollback", "Make the previous (or a named) version best again, after verifying it.") { root, to, reason };
        CliAction.Set(rollback, (parse, ctx) =>
        {
            var change = Open(parse, root).Rollback(parse.GetValue(to), reason: parse.GetValue(reason));
            Report(ctx, change);
            return ExitCodes.Ok;
        });
        return rollback;
    }

    private static void Report(CliContext ctx, RegistryChange change)
    {
        if (ctx.Json)
        {
            ctx.WriteJson(change);
            return;
        }
        if (!change.Changed)
            ctx.Console.MarkupLine($"{Markup.Escape(change.To)} is already best; nothing changed");
        else
            ctx.Console.MarkupLine($"[green]{change.Action}[/]: best {Markup.Escape(change.From ?? "(none)")} -> [bold]{Markup.Escape(change.To)}[/]{(change.Registered ? " (newly registered)" : "")}");
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";
}
