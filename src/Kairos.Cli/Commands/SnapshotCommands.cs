using System.CommandLine;

namespace Kairos.Cli.Commands;

/// <summary><c>kairos snapshot create | verify | list</c>.</summary>
public static class SnapshotCommands
{
    public static Command Build()
    {
        var snapshot = new Command("snapshot", "Create, verify and list immutable data snapshots.");
        return snapshot;
    }
}
