using System.CommandLine;
using Kairos.Bundles;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos bundle build | verify</c>.</summary>
public static class BundleCommands
{
    public static Command Build()
    {
        var bundle = new Command("bundle", "Build and verify self-describing model bundles (weights, trees, calibrators, contract, Model Card v2).");
        bundle.Subcommands.Add(BuildVerify());
        return bundle;
    }

    private static Command BuildVerify()
    {
        var dir = new Argument<string>("DIR") { Description = "Bundle directory." };
        var expectedHash = new Option<string?>("--expected-hash")
        {
            Description = "Feature contract hash (16 hex) the bundle must have been trained against.",
        };
        var expectedContent = new Option<string?>("--expected-content-hash")
        {
            Description = "Bundle content hash (manifest content_hash, 64 hex) that pins every file.",
        };
        var verify = new Command("verify", "Check a bundle: every file against the manifest, metadata, Model Card schema, feature contract against the running code; exit code 3 naming what failed.")
        {
            dir, expectedHash, expectedContent,
        };
        CliAction.Set(verify, (parse, ctx) =>
        {
            var result = BundleVerifier.Verify(parse.GetValue(dir)!, new BundleVerifyOptions
            {
                ExpectedContractHash = parse.GetValue(expectedHash),
                ExpectedContentHash = parse.GetValue(expectedContent),
                ContractAuthority = RunningFeatureContract.Instance,
            });
            if (ctx.Json)
                ctx.WriteJson(new { result.Directory, result.Passed, result.BundleId, result.ContentHash, result.FeatureContractHash, result.ModelVariant, result.Checks });
            else
                Render(ctx, result);
            result.ThrowIfFailed();
            return ExitCodes.Ok;
        });
        return verify;
    }

    internal static void Render(CliContext ctx, BundleVerification result)
    {
        var table = new Table().Title(Markup.Escape($"bundle {result.BundleId ?? "?"} ({result.ModelVariant ?? "?"})"))
            .AddColumn("check").AddColumn("result").AddColumn("detail");
        foreach (var check in result.Checks)
            table.AddRow(
                Markup.Escape(check.Name),
                check.Passed ? "[green]pass[/]" : "[red]FAIL[/]",
                Markup.Escape(check.Passed ? check.Detail ?? "" : string.Join(Environment.NewLine, check.Problems)));
        ctx.Console.Write(table);
        if (result.Passed)
            ctx.Console.MarkupLine($"[green]OK[/] {Markup.Escape(result.Directory)}: contract {result.FeatureContractHash}, content {result.ContentHash}");
    }
}
