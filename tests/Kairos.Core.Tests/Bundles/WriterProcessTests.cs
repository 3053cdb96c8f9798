using Kairos.Bundles;
using Kairos.Artifacts;

namespace Kairos.Tests.Bundles;

public class WriterProcessTests
{
    [Fact]
    public void Current_IsThisProcessAndRunning()
    {
        var me = WriterProcess.Current;

        Assert.Equal(Environment.ProcessId, me.Pid);
        Assert.Equal(WriterProcess.ThisHost, me.Host);
        Assert.Equal(me, WriterProcess.Of(Environment.ProcessId));
        Assert.True(me.IsRunning());
    }

    [Fact]
    public void IsRunning_ChildBeforeAndAfterSigkill_TrueThenFalse()
    {
        using var child = SleepingProcess.Start();
        var writer = child.Writer;
        Assert.True(writer.IsRunning());
        Assert.NotEqual(WriterProcess.Current, writer);

        child.Kill();

        Assert.False(writer.IsRunning());
        Assert.Null(WriterProcess.Of(writer.Pid));
    }

    [Fact]
    public void IsRunning_SamePidOtherStartTime_FalseBecauseThePidWasReused()
    {
        var me = WriterProcess.Current;

        Assert.False((me with { StartTime = me.StartTime - 1 }).IsRunning());
    }

    [Fact]
    public void IsRunning_OtherMachine_TrueBecauseItCannotBeChecked()
    {
        using var child = SleepingProcess.Start();
        var elsewhere = child.Writer with { Host = OtherHost() };
        child.Kill();

        Assert.True(elsewhere.IsRunning());
    }

    internal static string OtherHost() => WriterProcess.ThisHost == "00000000" ? "11111111" : "00000000";
}
