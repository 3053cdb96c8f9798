using System.Text.Json;
using Kairos.Artifacts;

namespace Kairos.Tests.Bundles;

/// <summary><see cref="ExclusiveLockFile.ReadLiveHolder"/>: the holder a writer that finds a lock taken names (registry and run locks).</summary>
public class ExclusiveLockFileHolderTests
{
    private readonly string _dir = TestData.TempDirectory("kairos-lock-holder");

    [Fact]
    public void ReadLiveHolder_HeldByThisProcess_ThisProcessUntilReleased()
    {
        var path = Path.Combine(_dir, "registry.lock");

        using (var held = ExclusiveLockFile.TryAcquire(path, "promote", TimeProvider.System))
        {
            Assert.NotNull(held);
            var live = ExclusiveLockFile.ReadLiveHolder(path);
            Assert.NotNull(live);
            Assert.Equal(Environment.ProcessId, live.Pid);
            Assert.Equal("promote", live.Purpose);
        }

        Assert.Null(ExclusiveLockFile.ReadLiveHolder(path));
    }

    [Fact]
    public void ReadLiveHolder_RecordedHolderHasExited_NullThoughTheFileNamesIt()
    {
        var path = Path.Combine(_dir, "run.lock");
        var me = WriterProcess.Current;
        // This pid, started at another time: a process that has exited and whose pid was reused.
        var gone = new LockHolder
        {
            Pid = me.Pid, ProcessStart = me.StartTime + 1, Host = me.Host, Machine = Environment.MachineName,
            AcquiredAt = DateTimeOffset.UnixEpoch, Purpose = "kairos run 0123abcd",
        };
        File.WriteAllText(path, JsonSerializer.Serialize(gone, ArtifactJson.Compact));

        Assert.Equal(gone, ExclusiveLockFile.ReadHolder(path));
        Assert.Null(ExclusiveLockFile.ReadLiveHolder(path));
    }
}
