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

    public static RootCommand Build() => new("Kairos: leakage-safe, calibrated, reproducible trading-entry models from intraday bars.")
    {
        JsonOption,
        RunCommand.Build(),
        SnapshotCommands.Build(),
        BundleCommands.Build(),
        RegistryCommands.Build(),
        BenchCommands.Build(),
        CalibrateCommands.Build(),
        DatasetCommands.Build(),
        EvalCommands.Build(),
        PromoteCommand.Build(),
        StudyCommands.Build(),
        WorkerCommands.Build(),
        WalkForwardCommands.Build(),
        TrainCommands.Build(),
        PretrainCommand.Build(),
        ReplayCommands.Build(),
        BacktestCommand.Build(),
        PredictCommand.Build(),
        ServeCommand.Build(),
    };
}
