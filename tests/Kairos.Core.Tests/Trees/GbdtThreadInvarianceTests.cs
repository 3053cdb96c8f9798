using Kairos.Progress;
using Kairos.Threading;
using Kairos.Trees;

namespace Kairos.Tests.Trees;

/// <summary>
/// <c>threads: auto</c> picks 1 or 2 LightGBM threads by how busy the machine is, so the trees stage must write the same
/// bytes on any thread count: the same trees (deterministic row-wise histograms), and model files that do not record
/// the count LightGBM ran with.
/// </summary>
public sealed class GbdtThreadInvarianceTests
{
    [Fact]
    public void Execute_OneAndTwoThreads_ModelsCalibratorsAndSignalsByteIdentical()
    {
        var one = Run(1);
        var two = Run(2);

        Assert.Equal(1, one.Report.Metadata.Threads!.Threads);
        Assert.Equal(2, two.Report.Metadata.Threads!.Threads);
        Assert.Equal(Path.GetFileName(one.Report.ArtifactDirectory), Path.GetFileName(two.Report.ArtifactDirectory));
        var models = Files(one.Report.ArtifactDirectory, "models");
        Assert.Contains(models, f => f.EndsWith(".txt", StringComparison.Ordinal));
        foreach (var file in models)
        {
            var a = File.ReadAllBytes(Path.Combine(one.Report.ArtifactDirectory, file));
            Assert.True(a.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(two.Report.ArtifactDirectory, file))), $"{file} differs between 1 and 2 threads");
            if (file.EndsWith(".txt", StringComparison.Ordinal))
                Assert.DoesNotContain("[num_threads:", System.Text.Encoding.UTF8.GetString(a), StringComparison.Ordinal);
        }
        var splits = Files(one.Report.EnrichedDatasetDirectory, "").Where(f => f.EndsWith(".parquet", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(splits);
        foreach (var file in splits)
            Assert.True(File.ReadAllBytes(Path.Combine(one.Report.EnrichedDatasetDirectory, file))
                .AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(two.Report.EnrichedDatasetDirectory, file))), $"enriched {file} differs between 1 and 2 threads");
    }

    [Fact]
    public void WithoutThreadCount_RemovesOnlyTheThreadLine()
    {
        const string Model = "tree\nparameters:\n[boosting: gbdt]\n[num_threads: 2]\n[deterministic: 1]\nend of parameters\n";
        Assert.Equal("tree\nparameters:\n[boosting: gbdt]\n[deterministic: 1]\nend of parameters\n", LightGbmBooster.WithoutThreadCount(Model));
        Assert.Equal("tree\n", LightGbmBooster.WithoutThreadCount("tree\n"));
    }

    private sealed record Ran(GbdtRunReport Report);

    private static Ran Run(int threads)
    {
        var dir = TestData.TempDirectory($"kairos-trees-threads{threads}");
        var options = new GbdtRunOptions
        {
            Dataset = RealDataset.Path,
            Out = dir,
            EnrichedOut = Path.Combine(dir, "datasets"),
            BootstrapResamples = 50,
            Stage = GbdtStageTests.FastOptions with { Folds = 2 },
            Search = new GbdtSearchOptions { Trials = 2, Seed = 3 },
            Threads = ThreadSetting.Fixed(threads),
        };
        return new Ran(GbdtRun.Execute(options, TimeProvider.System, NullProgressSink.Instance));
    }

    private static List<string> Files(string root, string sub) =>
        Directory.GetFiles(Path.Combine(root, sub), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
}
