using Kairos.Bundles;
using Kairos.Artifacts;

namespace Kairos.Tests.Bundles;

/// <summary>
/// Temporaries named after their writer, and their removal by the next writer once that writer is gone: real child
/// processes killed with SIGKILL stand for crashed writers, this test process for a live one.
/// </summary>
public class ArtifactDirectoryTests
{
    private static string Temporary(string parent, string label, WriterProcess writer, string file = "part.parquet")
    {
        var dir = Path.Combine(parent, ArtifactDirectory.TemporaryName(label, writer));
        Directory.CreateDirectory(Path.Combine(dir, "models"));
        File.WriteAllText(Path.Combine(dir, "models", file), "half written");
        return dir;
    }

    [Fact]
    public void CreateTemporarySibling_Name_IsHiddenAndRecordsThisProcess()
    {
        var parent = TestData.TempDirectory();

        var temp = ArtifactDirectory.CreateTemporarySibling(parent, "a/b c");

        var name = Path.GetFileName(temp);
        Assert.StartsWith(ArtifactDirectory.TemporaryPrefix + "a_b_c-", name);
        Assert.Equal(WriterProcess.Current, ArtifactDirectory.WriterOf(name));
        Assert.True(Directory.Exists(temp));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp));
    }

    [Fact]
    public void CreateTemporarySibling_TemporaryOfKilledWriter_RemovedTemporaryOfLiveWriterKept()
    {
        var parent = TestData.TempDirectory();
        using var crashed = SleepingProcess.Start();
        using var running = SleepingProcess.Start();
        var stale = Temporary(parent, "c09d54c8cd752631", crashed.Writer);
        var otherLive = Temporary(parent, "c09d54c8cd752631", running.Writer);
        var mine = Temporary(parent, "c09d54c8cd752631", WriterProcess.Current);
        var finished = Path.Combine(parent, "c09d54c8cd752631");
        Directory.CreateDirectory(finished);
        crashed.Kill();

        var next = ArtifactDirectory.CreateTemporarySibling(parent, "next");

        Assert.False(Directory.Exists(stale));
        Assert.Equal("half written", File.ReadAllText(Path.Combine(otherLive, "models", "part.parquet")));
        Assert.Equal("half written", File.ReadAllText(Path.Combine(mine, "models", "part.parquet")));
        Assert.Equal(new[] { finished, mine, next, otherLive }.Order(StringComparer.Ordinal), Directory.GetDirectories(parent).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RemoveStaleTemporaries_LiveWriterKilledLater_KeptThenRemoved()
    {
        var parent = TestData.TempDirectory();
        using var writer = SleepingProcess.Start();
        var temp = Temporary(parent, "dataset", writer.Writer);

        Assert.Empty(ArtifactDirectory.RemoveStaleTemporaries(parent));
        Assert.True(Directory.Exists(temp));

        writer.Kill();
        var removed = ArtifactDirectory.RemoveStaleTemporaries(parent);

        Assert.Equal([temp], removed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public void RemoveStaleTemporaries_PidReusedByAnotherProcess_Removed()
    {
        var parent = TestData.TempDirectory();
        var me = WriterProcess.Current;
        var temp = Temporary(parent, "bundle", me with { StartTime = me.StartTime - 1 });

        Assert.Equal([temp], ArtifactDirectory.RemoveStaleTemporaries(parent));
    }

    [Fact]
    public void RemoveStaleTemporaries_OtherMachineUnrecognisedNamesAndLinks_LeftAlone()
    {
        var parent = TestData.TempDirectory();
        using var dead = SleepingProcess.Start();
        var elsewhere = Temporary(parent, "snapshot", dead.Writer with { Host = WriterProcessTests.OtherHost() });
        var olderKairos = Path.Combine(parent, $".tmp-c09d54c8cd752631-{Guid.NewGuid():N}");
        var otherTool = Path.Combine(parent, ".tmp-cache");
        Directory.CreateDirectory(olderKairos);
        Directory.CreateDirectory(otherTool);
        var outside = TestData.TempDirectory();
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "not ours");
        var link = Path.Combine(parent, ArtifactDirectory.TemporaryName("link", dead.Writer));
        Directory.CreateSymbolicLink(link, outside);
        dead.Kill();

        var removed = ArtifactDirectory.RemoveStaleTemporaries(parent);

        Assert.Empty(removed);
        Assert.True(Directory.Exists(elsewhere));
        Assert.True(Directory.Exists(olderKairos));
        Assert.True(Directory.Exists(otherTool));
        Assert.Equal(outside, new DirectoryInfo(link).LinkTarget);
        Assert.Equal("not ours", File.ReadAllText(Path.Combine(outside, "keep.txt")));
    }

    [Fact]
    public async Task RemoveStaleTemporaries_TwoSweepersAtOnce_EachStaleTemporaryRemovedExactlyOnce()
    {
        var parent = TestData.TempDirectory();
        var stale = new List<string>();
        for (var k = 0; k < 8; k++)
        {
            using var writer = SleepingProcess.Start();
            stale.Add(Temporary(parent, $"replay{k}", writer.Writer));
            writer.Kill();
        }

        using var go = new Barrier(2);
        var sweeps = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            go.SignalAndWait();
            return ArtifactDirectory.RemoveStaleTemporaries(parent);
        })).ToArray();
        var removed = (await Task.WhenAll(sweeps)).SelectMany(r => r).ToList();
        Assert.Equal(stale.Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Theory]
    [InlineData(".tmp-label-5bce98f7-21542-1061197-420a2e557cc7", "5bce98f7", 21542, 1061197L)]
    [InlineData(".tmp-2026-01-05T10-00-00Z_ab12-cd.2-5bce98f7-7-0-420a2e557cc7", "5bce98f7", 7, 0L)]
    public void WriterOf_TemporaryName_ReadsHostPidAndStartTime(string name, string host, int pid, long start)
    {
        Assert.Equal(new WriterProcess(host, pid, start), ArtifactDirectory.WriterOf(name));
    }

    [Theory]
    [InlineData(".tmp-c09d54c8cd752631-420a2e557cc7420a2e557cc7420a2e55")]
    [InlineData(".c09d54c8cd752631.tmp-420a2e557cc7420a2e557cc7420a2e55")]
    [InlineData("c09d54c8cd752631")]
    [InlineData(".tmp-label-5BCE98F7-21542-1061197-420a2e557cc7")]
    [InlineData(".tmp-label-5bce98f7-21542-1061197-420a2e557cc7.json")]
    public void WriterOf_OtherNames_Null(string name)
    {
        Assert.Null(ArtifactDirectory.WriterOf(name));
    }
}
