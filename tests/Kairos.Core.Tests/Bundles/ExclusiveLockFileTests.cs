using Kairos.Bundles;
using Kairos.Artifacts;

namespace Kairos.Tests.Bundles;

public class ExclusiveLockFileTests
{
    [Fact]
    public void TryAcquire_WhileHeld_NullUntilReleasedAndTheHolderIsReadableWithoutTheLock()
    {
        var path = Path.Combine(TestData.TempDirectory(), "run.lock");
        var time = TimeProvider.System;

        using (var held = ExclusiveLockFile.TryAcquire(path, "first", time))
        {
            Assert.NotNull(held);
            Assert.Null(ExclusiveLockFile.TryAcquire(path, "second", time));
            var holder = ExclusiveLockFile.ReadHolder(path);
            Assert.NotNull(holder);
            Assert.Equal(Environment.ProcessId, holder.Pid);
            Assert.Equal("first", holder.Purpose);
            Assert.Equal(WriterProcess.Current, holder.Process);
        }

        Assert.Null(ExclusiveLockFile.ReadHolder(path));
        using var again = ExclusiveLockFile.TryAcquire(path, "second", time);
        Assert.NotNull(again);
        Assert.Equal("second", ExclusiveLockFile.ReadHolder(path)!.Purpose);
        Assert.True(File.Exists(path));
    }

    /// <summary>util-linux <c>flock(1)</c> holds the same kernel lock from another process (<c>--close</c>: only flock itself, not its child, holds it); SIGKILL releases it.</summary>
    [Fact]
    public void TryAcquire_HolderInAnotherProcessKilled_Acquired()
    {
        var path = Path.Combine(TestData.TempDirectory(), "run.lock");
        using var holder = SleepingProcess.Start("flock", "--exclusive", "--close", path, "sleep", "600");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ExclusiveLockFile? probe;
        while ((probe = ExclusiveLockFile.TryAcquire(path, "probe", TimeProvider.System)) is not null && DateTime.UtcNow < deadline)
        {
            probe.Dispose();
            Thread.Sleep(10);
        }
        Assert.Null(probe);
        Assert.Null(ExclusiveLockFile.ReadHolder(path));

        holder.Kill();

        using var acquired = ExclusiveLockFile.TryAcquire(path, "after the kill", TimeProvider.System);
        Assert.NotNull(acquired);
    }

    [Fact]
    public void TryAcquire_MissingDirectory_ThrowsNamingThePath()
    {
        var path = Path.Combine(TestData.TempDirectory(), "missing", "run.lock");

        var e = Assert.ThrowsAny<IOException>(() => ExclusiveLockFile.TryAcquire(path, "x", TimeProvider.System));

        Assert.Contains(path, e.Message);
    }
}
