using Kairos.Errors;

namespace Kairos.Deep.Runs;

/// <summary>
/// Where a deep trainer takes its training batches from (<c>--data-source</c> of <c>train hybrid</c>, <c>train tft</c>,
/// <c>train lstm</c> and <c>pretrain</c>; <c>data_source:</c> of a run's <c>hybrid</c>, <c>tft</c> and <c>lstm</c> sections;
/// docs/training-from-disk.md). The choice never changes a result: both sources give the same batches, so the same seed gives
/// the same weights; it changes only the memory the process holds.
/// </summary>
public enum TrainingDataSource
{
    /// <summary>Decide when loading: <see cref="Disk"/> when the splits' tensors would exceed a quarter of the memory .NET may use (<see cref="TrainingDataSourceText.AutoMemoryFraction"/>), else <see cref="Memory"/>.</summary>
    Auto,
    /// <summary>Every split's inputs as tensors, built at load: the fastest; memory grows with the dataset.</summary>
    Memory,
    /// <summary>A cache written once from the Parquet files, read per batch (<see cref="DiskBatchCache"/>): memory independent of the dataset's size.</summary>
    Disk,
}

/// <summary>Parsing and resolution of <see cref="TrainingDataSource"/>.</summary>
public static class TrainingDataSourceText
{
    /// <summary>The share of the memory .NET may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>) above which <c>auto</c> reads from disk.</summary>
    public const double AutoMemoryFraction = 0.25;

    /// <summary><c>memory</c>, <c>disk</c> or <c>auto</c>; anything else is a <see cref="ConfigException"/> naming <paramref name="setting"/>.</summary>
    public static TrainingDataSource Parse(string text, string setting) => text switch
    {
        "auto" => TrainingDataSource.Auto,
        "memory" => TrainingDataSource.Memory,
        "disk" => TrainingDataSource.Disk,
        _ => throw new ConfigException(setting, [$"{setting} must be memory, disk or auto (got '{text}')"]),
    };

    /// <summary>The setting text of <paramref name="source"/>.</summary>
    public static string Text(this TrainingDataSource source) => source.ToString().ToLowerInvariant();

    /// <summary>
    /// <paramref name="source"/> itself, or for <c>auto</c>: <see cref="TrainingDataSource.Disk"/> when <paramref name="estimatedBytes"/>
    /// (what the tensors and the columns read to build them would take) exceed <see cref="AutoMemoryFraction"/> of <paramref name="availableBytes"/>.
    /// </summary>
    public static TrainingDataSource Resolve(this TrainingDataSource source, long estimatedBytes, long availableBytes) =>
        source != TrainingDataSource.Auto ? source
        : estimatedBytes > AutoMemoryFraction * availableBytes ? TrainingDataSource.Disk : TrainingDataSource.Memory;
}
