using Kairos.Errors;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Where the hybrid and TFT trainers take their batches from (<c>--data-source</c>, <c>data_source:</c>; docs/hybrid.md,
/// "Batch source"). The choice never changes a result: both sources give the same batches, so the same seed gives the
/// same weights; it changes only the memory the process holds.
/// </summary>
public enum HybridDataSource
{
    /// <summary>Decide when loading: <see cref="Disk"/> when the splits' tensors would exceed a quarter of the memory .NET may use (<see cref="HybridDatasetLoader.AutoMemoryFraction"/>), else <see cref="Memory"/>.</summary>
    Auto,
    /// <summary>Every split's inputs as tensors, built at load (<see cref="HybridTensors"/>): the fastest; memory grows with the dataset.</summary>
    Memory,
    /// <summary>A column cache written once from the Parquet files, read per batch (<see cref="HybridDiskSplit"/>): memory independent of the dataset's size.</summary>
    Disk,
}

/// <summary>Parsing of <see cref="HybridDataSource"/> from its setting text.</summary>
public static class HybridDataSourceText
{
    /// <summary><c>memory</c>, <c>disk</c> or <c>auto</c>; anything else is a <see cref="ConfigException"/> naming <paramref name="setting"/>.</summary>
    public static HybridDataSource Parse(string text, string setting) => text switch
    {
        "auto" => HybridDataSource.Auto,
        "memory" => HybridDataSource.Memory,
        "disk" => HybridDataSource.Disk,
        _ => throw new ConfigException(setting, [$"{setting} must be memory, disk or auto (got '{text}')"]),
    };

    /// <summary>The setting text of <paramref name="source"/>.</summary>
    public static string Text(this HybridDataSource source) => source.ToString().ToLowerInvariant();
}
