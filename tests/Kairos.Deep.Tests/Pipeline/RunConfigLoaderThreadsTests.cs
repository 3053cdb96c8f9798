using Kairos.Deep.Runs;
using System.Text.Json;
using Kairos.Deep.Hybrid;
using Kairos.Errors;
using Kairos.Pipeline;
using Kairos.Threading;
using Kairos.Tests;

namespace Kairos.Deep.Tests.Pipeline;

/// <summary>
/// <c>trees.threads</c> and <c>hybrid.threads</c> of the run YAML: auto by default, auto or a positive whole number, anything
/// else named; and <c>hybrid.data_source</c> / <c>tft.data_source</c>, which, like the threads, do not name the run.
/// </summary>
public sealed class RunConfigLoaderThreadsTests
{
    private static RunConfig Parse(string trees, string hybrid, out string file, string? directory = null)
    {
        var dir = directory ?? TestData.TempDirectory("kairos-run-threads");
        File.WriteAllText(Path.Combine(dir, "bars.csv"), "");
        file = Path.Combine(dir, "run.yaml");
        var yaml = $"input:\n  files: [bars.csv]\n  symbol: EURUSD\ntrees:\n{trees}\nhybrid:\n{hybrid}\nregistry: out/registry\nout: out\n";
        return RunConfigLoader.Parse(yaml, file);
    }

    [Fact]
    public void Parse_ThreadsAbsent_AutoForTreesAndHybrid()
    {
        var config = Parse("  trials: 0", "  epochs: 1", out _);

        Assert.True(config.TreesThreads.IsAuto);
        Assert.True(config.Hybrid.Training.Threads.IsAuto);
    }

    [Fact]
    public void Parse_AutoAndWholeNumbers_Taken()
    {
        var config = Parse("  threads: auto", "  threads: 3", out _);

        Assert.True(config.TreesThreads.IsAuto);
        Assert.Equal(ThreadSetting.Fixed(3), config.Hybrid.Training.Threads);
        Assert.Equal(ThreadSetting.Fixed(2), Parse("  threads: 2", "  threads: auto", out _).TreesThreads);
    }

    [Fact]
    public void Parse_BadThreads_EveryKeyNamedWithItsLine()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("  threads: 0", "  threads: [1, 2]", out _));

        Assert.Contains(e.Problems, p => p.StartsWith("trees.threads (line 5): '0' is not a thread setting: 'auto'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("hybrid.threads (line 7): expected 'auto' or a whole number", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("two")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void Parse_NotAThreadSetting_Rejected(string value)
    {
        var e = Assert.Throws<ConfigException>(() => Parse("  trials: 0", $"  threads: {value}", out _));

        Assert.Contains(e.Problems, p => p.Contains($"hybrid.threads (line 7): '{value}' is not a thread setting", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DataSource_AutoByDefaultTakenPerSectionAndNotPartOfTheRunId()
    {
        var defaults = Parse("  trials: 0", "  epochs: 1", out var file);
        var chosen = Parse("  trials: 0", "  epochs: 1\n  data_source: disk\ntft:\n  data_source: memory\nlstm:\n  data_source: disk", out _, Path.GetDirectoryName(file));

        Assert.Equal(TrainingDataSource.Auto, defaults.HybridDataSource);
        Assert.Equal(TrainingDataSource.Auto, defaults.TftDataSource);
        Assert.Equal(TrainingDataSource.Auto, defaults.LstmDataSource);
        Assert.Equal(TrainingDataSource.Disk, chosen.HybridDataSource);
        Assert.Equal(TrainingDataSource.Memory, chosen.TftDataSource);
        Assert.Equal(TrainingDataSource.Disk, chosen.LstmDataSource);
        // Both sources give the same batches and weights: the choice is not in the serialised config the run id hashes.
        Assert.Equal(JsonSerializer.Serialize(defaults, RunState.Json), JsonSerializer.Serialize(chosen, RunState.Json));
    }

    [Fact]
    public void Parse_BadDataSource_NamedWithItsLine()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("  trials: 0", "  data_source: ram", out _));

        Assert.Contains(e.Problems, p => p.StartsWith("hybrid.data_source (line 7): 'ram' is not one of auto, memory, disk", StringComparison.Ordinal));
    }
}
