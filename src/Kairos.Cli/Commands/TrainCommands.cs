using System.CommandLine;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos train gbdt | ...</c>: one subcommand per model family.</summary>
public static class TrainCommands
{
    public static Command Build()
    {
        var train = new Command("train", "Train models on a dataset.");
        train.Subcommands.Add(TrainGbdtCommand.Build());
        train.Subcommands.Add(TrainHybridCommand.Build());
        train.Subcommands.Add(TrainLstmCommand.Build());
        train.Subcommands.Add(TrainTftCommand.Build());
        return train;
    }
}
