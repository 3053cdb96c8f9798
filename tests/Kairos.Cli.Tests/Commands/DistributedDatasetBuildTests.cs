using Kairos.Datasets;
using Kairos.Search;
using Kairos.Search.Storage;
using Kairos.Snapshots;
using Kairos.Tests.Search;
using Kairos.Tests.Snapshots;

namespace Kairos.Tests.Commands;

/// <summary>
/// <c>kairos dataset build --storage</c> with real processes: the symbols of a pooled real EURUSD + GBPUSD + XAUUSD
/// dataset are queued as work items, two <c>kairos worker</c> processes compute them, and the build merges their parts
/// into the very files a build in one process writes.
/// </summary>
public class DistributedDatasetBuildTests
{
    [Fact]
    public void Build_SymbolsComputedByTwoWorkerProcesses_MergedFilesByteIdenticalToTheOneProcessBuild()
    {
        var dir = TestData.TempDirectory();
        var source = PooledRealData.Source();
        var snapshot = new SnapshotCreator(TimeProvider.System).Create(
            [
                new SnapshotInput(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD"),
                new SnapshotInput(TestData.File("GBPUSD_M1_2012-02_fxcm_bidask.csv"), "GBPUSD"),
                new SnapshotInput(TestData.File("XAUUSD_M5_2025_mt5.csv"), "XAUUSD"),
            ], new BarReadOptions(), Path.Combine(dir, "snapshots")).Snapshot.Directory;
        var config = Path.Combine(dir, "pooled.yaml");
        File.WriteAllText(config, PooledRealData.Config);
        var storage = "sqlite:" + Path.Combine(dir, "study.db");

        var single = KairosCli.Run("dataset", "build", "--snapshot", snapshot, "--config", config, "--out", Path.Combine(dir, "one"), "--parallel-symbols", "1", "--json");
        Assert.True(single.ExitCode == 0, single.ToString());
        var reference = single.Json().GetProperty("directory").GetString()!;

        var queued = KairosCli.Run("dataset", "build", "--snapshot", snapshot, "--config", config, "--out", Path.Combine(dir, "many"), "--storage", storage, "--queue-only", "--json");
        Assert.True(queued.ExitCode == 0, queued.ToString());
        var study = queued.Json().GetProperty("study").GetString()!;
        Assert.Equal(DistributedDatasetBuild.StudyName(Path.GetFileName(reference)), study);
        Assert.False(Directory.Exists(Path.Combine(dir, "many", Path.GetFileName(reference))));

        var workers = Enumerable.Range(0, 2).Select(_ => new KairosChild("worker", "--storage", storage, "--study", study)).ToList();
        try
        {
            foreach (var w in workers) Assert.True(w.WaitForExit(TimeSpan.FromMinutes(5)) == 0, w.Output);
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }
        var parts = DistributedDatasetBuild.PartsDirectory(Path.Combine(dir, "many"), Path.GetFileName(reference));
        Assert.Equal(["EURUSD", "GBPUSD", "XAUUSD"], Directory.GetDirectories(parts).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (var store = StudyStorage.Open(storage))
        {
            var trials = Study.Load(store, study).Trials();
            Assert.Equal(3, trials.Count);
            Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
            Assert.Equal(["EURUSD", "GBPUSD", "XAUUSD"], trials.Select(t => (string)t.UserValue(DistributedDatasetBuild.SymbolParam)).Order(StringComparer.Ordinal));
            Assert.Equal(source.Series.Select(s => (double)s.Count).Order(), trials.Select(t => t.Value!.Value).Order());
        }

        var merged = KairosCli.Run("dataset", "build", "--snapshot", snapshot, "--config", config, "--out", Path.Combine(dir, "many"), "--storage", storage, "--json");

        Assert.True(merged.ExitCode == 0, merged.ToString());
        var directory = merged.Json().GetProperty("directory").GetString()!;
        Assert.Equal(Path.GetFileName(reference), Path.GetFileName(directory));
        PooledRealData.AssertSameFiles(reference, directory);
        Assert.False(Directory.Exists(parts), "the parts are removed once merged");
    }
}
