using Kairos.Artifacts;
using System.CommandLine;
using System.Reflection;
using Kairos.Bundles;
using Kairos.Deep.Onnx;
using Spectre.Console;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos bundle build | verify | export</c>.</summary>
public static class BundleCommands
{
    public static Command Build() => new("bundle", "Build and verify self-describing model bundles (weights, trees, calibrators, contract, Model Card v2).")
    {
        BuildBuild(),
        BuildVerify(),
        BuildExport(),
    };

    private static Command BuildBuild()
    {
        var dataset = new Option<string>("--dataset") { Description = "Dataset directory the hybrid model trained on (the trees stage's enriched copy).", Required = true };
        var trees = new Option<string>("--trees") { Description = "Trees artifact directory (gbdt.json, LightGBM models, calibrators.json).", Required = true };
        var run = new Option<string>("--run") { Description = "Hybrid run directory (bundle_metadata.json, weights, train_config.json, metrics.json).", Required = true };
        var evaluation = new Option<string>("--eval") { Description = "Evaluation directory written by kairos eval (metrics.json, reliability plots).", Required = true };
        var verdict = new Option<string?>("--verdict") { Description = "Gate verdict JSON written by kairos promote (without it the card says verdict: absent)." };
        var output = new Option<string>("--out", "-o") { Description = "Root directory of bundles; the bundle is written to ROOT/<bundle_id>/.", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name on the card (default kairos-<variant>-<symbols>)." };
        var notes = new Option<string>("--notes") { Description = "Free text for the card's notes.", DefaultValueFactory = _ => "" };
        var build = new Command("build", "Assemble a verified bundle ROOT/<bundle_id>/ from a dataset, trees, hybrid run and evaluation (written to a temporary directory, renamed when complete).")
        {
            dataset, trees, run, evaluation, verdict, output, name, notes,
        };
        CliAction.Set(build, (parse, ctx) =>
        {
            var draft = BundleSources.Read(new BundleSourceOptions
            {
                Dataset = parse.GetValue(dataset)!,
                Trees = parse.GetValue(trees)!,
                Run = parse.GetValue(run)!,
                Evaluation = parse.GetValue(evaluation)!,
                GateVerdict = parse.GetValue(verdict),
                ModelName = parse.GetValue(name),
                Notes = parse.GetValue(notes)!,
                GitCommit = CodeVersion.Current,
            });
            var built = ctx.WithProgress(sink => BundleBuilder.Build(draft, new BundleBuildOptions
            {
                OutputRoot = parse.GetValue(output)!,
                ContractAuthority = RunningFeatureContract.Instance,
            }, sink));
            if (ctx.Json)
                ctx.WriteJson(new { built.Directory, built.BundleId, built.ContentHash, built.FeatureContractHash, built.AlreadyExisted, built.Verification.Passed });
            else
                ctx.Console.MarkupLine($"[green]{(built.AlreadyExisted ? "exists" : "built")}[/] bundle {built.BundleId} at {Markup.Escape(built.Directory)}: contract {built.FeatureContractHash}, content {built.ContentHash}, {draft.Files.Count + 4} files verified");
            return ExitCodes.Ok;
        });
        return build;
    }

    private static Command BuildExport()
    {
        var dir = new Argument<string>("DIR") { Description = "Bundle directory (verified before anything is read)." };
        var format = new Option<string>("--format") { Description = "Export format: onnx (ONNX IR 8, opset 17, ai.onnx.ml 3).", Required = true };
        format.AcceptOnlyFromAmong("onnx");
        var output = new Option<string>("--out", "-o") { Description = "New directory to write (must not exist or be empty): trees_<group>.onnx, hybrid.onnx (tft.onnx for a TFT bundle, lstm.onnx for an LSTM bundle), onnx_export.json.", Required = true };
        var export = new Command("export", "Export a bundle's models to ONNX: the trees of each session group with their calibrators and signals, and the deep model (hybrid or TFT) (docs/onnx.md).")
        {
            dir, format, output,
        };
        CliAction.Set(export, (parse, ctx) =>
        {
            var result = BundleOnnxExporter.Export(parse.GetValue(dir)!, parse.GetValue(output)!, CodeVersion.Current ?? "unknown");
            if (ctx.Json)
                ctx.WriteJson(new { result.Directory, result.BundleId, result.FeatureContractHash, result.Files, Manifest = Path.Combine(result.Directory, BundleOnnxExporter.ManifestFile) });
            else
                foreach (var file in result.Files)
                    ctx.Console.MarkupLine(Markup.Escape($"{file.Component,-7} {file.File} ({file.Bytes:N0} bytes, sha256 {file.Sha256[..16]})"));
            if (!ctx.Json)
                ctx.Console.MarkupLine($"[green]exported[/] bundle {result.BundleId} to {Markup.Escape(result.Directory)} ({BundleOnnxExporter.ManifestFile} describes inputs, outputs and how to chain them)");
            return ExitCodes.Ok;
        });
        return export;
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
