using System.Text.RegularExpressions;
using Kairos.Cli;

namespace Kairos.Tests.Cli;

/// <summary>
/// The command tree <c>kairos</c> builds: every group command has its description and its subcommands in the order
/// its help lists them, and the root its global <c>--json</c> option and the stages in pipeline order.
/// </summary>
public class CommandTreeTests
{
    public static TheoryData<string, string, string[]> Groups => new()
    {
        { "bench", "Measure Kairos on this machine.", ["latency", "train", "pretraining", "serve"] },
        { "bundle", "Build and verify self-describing model bundles (weights, trees, calibrators, contract, Model Card v2).", ["build", "verify", "export"] },
        { "calibrate", "Fit and apply Platt or isotonic calibrators (one per session) on predictions CSVs.", ["fit", "apply"] },
        { "dataset", "Build and inspect leakage-safe training datasets from snapshots.", ["build", "inspect"] },
        { "registry", "Dated, immutable bundle versions with an atomically switched 'best' pointer.", ["list", "show", "promote", "rollback"] },
        { "snapshot", "Create, verify and list immutable data snapshots.", ["create", "verify", "list"] },
        { "study", "Create, list and inspect hyper-parameter search studies.", ["create", "list", "show", "overfit"] },
        { "train", "Train models on a dataset.", ["gbdt", "hybrid", "lstm", "tft"] },
        { "walkforward", "Walk-forward folds as work items shared by workers, and their aggregated metrics.", ["create", "report"] },
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void Group_HasItsDescriptionAndSubcommandsInOrder(string name, string description, string[] subcommands)
    {
        var group = KairosCommand.Build().Subcommands.Single(c => c.Name == name);

        Assert.Equal(description, group.Description);
        Assert.Equal(subcommands, group.Subcommands.Select(c => c.Name));
        Assert.Empty(group.Arguments);
        Assert.Null(group.Action);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Help_Group_ListsEachSubcommandWithItsDescription(string name, string description, string[] subcommands)
    {
        var group = KairosCommand.Build().Subcommands.Single(c => c.Name == name);

        var result = InProcessCli.Run(name, "--help");

        Assert.Equal(0, result.ExitCode);
        var help = result.StandardOutput;
        var flat = Regex.Replace(help, @"\s+", " ");
        Assert.Contains(description, flat);
        var listed = subcommands.Select(s => help.IndexOf("\n  " + s + " ", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, listed);
        Assert.Equal(listed.Order(), listed);
        foreach (var sub in group.Subcommands)
            Assert.Contains(Regex.Replace(sub.Description!, @"\s+", " "), flat);
    }

    [Fact]
    public void Root_JsonOptionThenTheStagesInPipelineOrder()
    {
        var root = KairosCommand.Build();

        Assert.Contains(KairosCommand.JsonOption, root.Options);
        Assert.Equal(
            ["run", "snapshot", "bundle", "registry", "bench", "calibrate", "dataset", "eval", "promote", "study", "worker", "walkforward",
             "train", "pretrain", "replay", "backtest", "predict", "serve"],
            root.Subcommands.Select(c => c.Name));
    }
}
