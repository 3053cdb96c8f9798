using System.CommandLine;
using Kairos.Cli.Commands;

namespace Kairos.Cli;

/// <summary>The <c>kairos</c> root command: every stage of the pipeline, in pipeline order.</summary>
public static class KairosCommand
{
    public static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Write machine-readable JSON to standard output instead of tables.",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Kairos: leakage-safe, calibrated, reproducible trading-entry models from intraday bars.")
        {
            JsonOption,
        };
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(SnapshotCommands.Build());
        root.Subcommands.Add(BundleCommands.Build());
        root.Subcommands.Add(RegistryCommands.Build());
        root.Subcommands.Add(BenchCommands.Build());
        root.Subcommands.Add(CalibrateCommands.Build());
        root.Subcommands.Add(DatasetCommands.Build());
        root.Subcommands.Add(EvalCommands.Build());
        root.Subcommands.Add(PromoteCommand.Build());
        root.Subcommands.Add(StudyCommands.Build());
        root.Subcommands.Add(WorkerCommands.Build());
        root.Subcommands.Add(WalkForwardCommands.Build());
        root.Subcommands.Add(TrainCommands.Build());
        root.Subcommands.Add(PretrainCommand.Build());
        root.Subcommands.Add(ReplayCommands.Build());
        root.Subcommands.Add(BacktestCommand.Build());
        root.Subcommands.Add(PredictCommand.Build());
        root.Subcommands.Add(ServeCommand.Build());
        return root;
    }
}
