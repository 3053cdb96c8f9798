namespace Kairos.Tests.Run;

/// <summary>
/// <c>hybrid.data_source</c> through real <c>kairos run</c> processes: the same tiny run with its hybrid trained from
/// memory and from the on-disk batch cache (one thread each) gives the same hybrid stage key and a bit-identical model,
/// records the source it used, and leaves no cache behind.
/// </summary>
public class RunDataSourceTests
{
    [Fact]
    public void Run_HybridFromDiskAndFromMemory_SameStageKeyAndModelBytes()
    {
        var dir = RunSlice.Directory("kairos-run-source");
        string Run(string source)
        {
            var tiny = File.ReadAllText(RunSlice.TinyConfig(dir, "tiny.yaml", "{files: [eurusd_slice.csv], symbol: EURUSD}", "{}", $"out-{source}/registry"));
            var config = RunSlice.Write(dir, $"{source}.yaml", tiny
                .Replace("patience: 0}", $"patience: 0, threads: 1, data_source: {source}}}", StringComparison.Ordinal)
                .Replace("\nout: out\n", $"\nout: out-{source}\n", StringComparison.Ordinal));
            var result = KairosCli.Run("run", config, "--json");
            Assert.True(result.ExitCode is 0 or 4, result.ToString());
            return Assert.Single(Directory.GetDirectories(Path.Combine(dir, $"out-{source}", "hybrid")));
        }

        var memory = Run("memory");
        var disk = Run("disk");

        Assert.Equal(Path.GetFileName(memory), Path.GetFileName(disk));
        Assert.Equal(File.ReadAllBytes(Path.Combine(memory, "model.bin")), File.ReadAllBytes(Path.Combine(disk, "model.bin")));
        Assert.Equal(File.ReadAllText(Path.Combine(memory, "predictions_test.csv")), File.ReadAllText(Path.Combine(disk, "predictions_test.csv")));
        Assert.Contains("\"batch_source\": \"memory\"", File.ReadAllText(Path.Combine(memory, "metrics.json")), StringComparison.Ordinal);
        Assert.Contains("\"batch_source\": \"disk\"", File.ReadAllText(Path.Combine(disk, "metrics.json")), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir, "out-disk"), Kairos.Artifacts.ArtifactDirectory.TemporaryPrefix + "batch-cache*", SearchOption.AllDirectories));
    }
}
