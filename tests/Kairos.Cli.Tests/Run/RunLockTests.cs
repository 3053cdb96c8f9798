using Kairos.Errors;
using Kairos.Pipeline;

namespace Kairos.Tests.Run;

/// <summary>The output root's lock of <c>kairos run</c>, taken twice: the second attempt fails at once naming the live holder.</summary>
public class RunLockTests
{
    [Fact]
    public void Acquire_WhileHeld_LockedNamingTheRootAndTheHoldersPidThenFreeAfterRelease()
    {
        var root = Path.Combine(TestData.TempDirectory("kairos-run-lock"), "out");

        using (RunLock.Acquire(root, "0123abcd", "/x/first.yaml", TimeProvider.System))
        {
            var e = Assert.Throws<LockedException>(() => RunLock.Acquire(root, "4567ef01", "/x/second.yaml", TimeProvider.System));

            Assert.Equal("run-lock", e.Rule);
            Assert.Equal(Environment.ProcessId, e.HolderPid);
            Assert.Contains($"the output root is locked by pid {Environment.ProcessId} on {Environment.MachineName}, kairos run 0123abcd (config /x/first.yaml)", e.Message);
        }

        using var again = RunLock.Acquire(root, "4567ef01", "/x/second.yaml", TimeProvider.System);
        Assert.Equal("kairos run 4567ef01 (config /x/second.yaml)", again.Holder.Purpose);
    }
}
