using System.CommandLine;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos train gbdt | ...</c>: one subcommand per model family.</summary>
public static class TrainCommands
{
    public static Command Build() => new("train", "Train models on a dataset.")
    {
        TrainGbdtCommand.Build(),
        TrainHybridCommand.Build(),
        TrainLstmCommand.Build(),
        TrainTftCommand.Build(),
    };
}
