using Kairos.Deep.Runs;
using System.CommandLine;
using Kairos.Deep.Hybrid;

namespace Kairos.Cli.Commands;

/// <summary>
/// <c>--data-source</c> of <c>kairos train hybrid</c>, <c>train tft</c>, <c>train lstm</c> and <c>pretrain</c>: where training batches come from
/// (docs/training-from-disk.md). The disk source's cache goes beside the run directory (<c>--out</c>'s parent).
/// </summary>
internal static class DataSourceOption
{
    public static Option<string> Create() => new("--data-source")
    {
        Description = "memory (tensors), disk (a column cache read per batch: memory independent of the dataset) or auto (disk when the tensors would " +
                      "take over a quarter of the memory); the same weights either way.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>The parsed source and the directory its cache goes under for a run written to <paramref name="outDir"/>.</summary>
    public static (TrainingDataSource Source, string CacheDirectory) Parse(string text, string outDir) =>
        (TrainingDataSourceText.Parse(text, "--data-source"), Path.GetDirectoryName(Path.GetFullPath(outDir.TrimEnd(Path.DirectorySeparatorChar)))!);
}
