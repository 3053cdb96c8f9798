using Kairos.Threading;

namespace Kairos.Tests.Threading;

public sealed class ThreadBudgetTests
{
    private static FakeMachine TwoCores() => new(2, "0-1");

    [Fact]
    public void Resolve_IdleMachine_EveryAllowedCore()
    {
        var machine = TwoCores();
        machine.Busy[0] = 0.2;

        var d = machine.Budget().Resolve(ThreadSetting.Auto);

        Assert.Equal(2, d.Threads);
        Assert.Equal(2, d.UsableCores);
        Assert.Null(d.CpuQuota);
        Assert.Equal(0.2, d.OtherBusyCores!.Value, 2);
        Assert.Equal(0.2, d.SampleSeconds!.Value, 3);
        Assert.Equal("auto", d.Setting);
        Assert.StartsWith("auto: 2 of 2 usable core(s): CPUs 0-1, no cgroup CPU quota", d.Reason);
        Assert.Equal(1, machine.Sleeps);
    }

    [Theory]
    [InlineData(1.0, 0.0, 1)]
    [InlineData(1.0, 1.0, 1)]
    [InlineData(0.4, 0.0, 2)]
    [InlineData(0.6, 0.0, 1)]
    [InlineData(0.3, 0.3, 1)]
    public void Resolve_OtherProcessesBusy_CoresLeftRoundedAtLeastOne(double cpu0, double cpu1, int expected)
    {
        var machine = TwoCores();
        machine.Busy[0] = cpu0;
        machine.Busy[1] = cpu1;

        var d = machine.Budget().Resolve();

        Assert.Equal(expected, d.Threads);
        Assert.Equal(cpu0 + cpu1, d.OtherBusyCores!.Value, 2);
        Assert.Contains($"other processes kept {cpu0 + cpu1:0.00} core(s) busy", d.Reason);
    }

    [Fact]
    public void Resolve_OwnUseSincePreviousDecision_IsNotCountedAsOthersAndNeedsNoFreshSample()
    {
        var machine = TwoCores();
        var budget = machine.Budget();
        budget.Resolve();
        // The previous trial kept both cores busy with our own threads for 3 s.
        machine.Busy[0] = machine.Busy[1] = 1;
        machine.SelfCores = 2;
        machine.Advance(TimeSpan.FromSeconds(3));

        var d = budget.Resolve();

        Assert.Equal(2, d.Threads);
        Assert.Equal(0, d.OtherBusyCores!.Value, 2);
        Assert.Equal(3, d.SampleSeconds!.Value, 3);
        Assert.Equal(1, machine.Sleeps);
    }

    [Fact]
    public void Resolve_MachineBecomesBusyDuringASearch_NextTrialUsesFewerThreads()
    {
        var machine = TwoCores();
        var budget = machine.Budget();
        var first = budget.Resolve();
        // Our 2 threads and another process share the cores: it gets about a third of the time.
        machine.Busy[0] = machine.Busy[1] = 1;
        machine.SelfCores = 1.33;
        machine.Advance(TimeSpan.FromSeconds(2));
        var second = budget.Resolve();
        machine.SelfCores = 1;
        machine.Advance(TimeSpan.FromSeconds(2));
        var third = budget.Resolve();
        machine.Busy[1] = 0;
        machine.Advance(TimeSpan.FromSeconds(2));
        var idleAgain = budget.Resolve();

        Assert.Equal([2, 1, 1, 2], new[] { first.Threads, second.Threads, third.Threads, idleAgain.Threads });
    }

    [Fact]
    public void Resolve_PreviousDecisionOlderThanMaxAge_TakesAFreshSample()
    {
        var machine = TwoCores();
        var budget = machine.Budget();
        budget.Resolve();
        machine.Busy[0] = 1;
        machine.Advance(TimeSpan.FromSeconds(60));
        machine.Busy[0] = 0;

        var d = budget.Resolve();

        Assert.Equal(2, machine.Sleeps);
        Assert.Equal(2, d.Threads);
        Assert.Equal(0.2, d.SampleSeconds!.Value, 3);
    }

    [Fact]
    public void Resolve_PreviousDecisionTooRecent_TakesAFreshSample()
    {
        var machine = TwoCores();
        var budget = machine.Budget();
        budget.Resolve();
        machine.Advance(TimeSpan.FromMilliseconds(50));

        var d = budget.Resolve();

        Assert.Equal(2, machine.Sleeps);
        Assert.Equal(0.2, d.SampleSeconds!.Value, 3);
    }

    [Fact]
    public void Resolve_AffinityMask_CountsOnlyAllowedCpusAndTheirLoad()
    {
        var machine = new FakeMachine(8, "0-3,6");
        machine.Busy[4] = machine.Busy[5] = machine.Busy[7] = 1; // busy, but not where we may run
        machine.Busy[6] = 1;

        var d = machine.Budget().Resolve();

        Assert.Equal(5, d.UsableCores);
        Assert.Equal(4, d.Threads);
        Assert.Equal(1, d.OtherBusyCores!.Value, 2);
        Assert.Contains("CPUs 0-3,6", d.Reason);
    }

    [Theory]
    [InlineData("150000 100000", 4, 1)]
    [InlineData("200000 100000", 4, 2)]
    [InlineData("800000 100000", 4, 4)]
    [InlineData("50000 100000", 4, 1)]
    [InlineData("max 100000", 4, 4)]
    public void Resolve_CgroupV2Quota_CapsTheCores(string cpuMax, int cpus, int expected)
    {
        var machine = new FakeMachine(cpus, $"0-{cpus - 1}");
        machine.SetFile("/proc/self/cgroup", "0::/user.slice/kairos.scope\n");
        machine.SetFile("/sys/fs/cgroup/user.slice/kairos.scope/cpu.max", cpuMax + "\n");

        var d = machine.Budget().Resolve();

        Assert.Equal(expected, d.UsableCores);
        Assert.Equal(expected, d.Threads);
        Assert.Equal(cpuMax.StartsWith("max", StringComparison.Ordinal) ? null : double.Parse(cpuMax.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 100000, d.CpuQuota);
    }

    [Fact]
    public void Resolve_CgroupV2QuotaOnAnAncestor_IsTheTightest()
    {
        var machine = new FakeMachine(8, "0-7");
        machine.SetFile("/proc/self/cgroup", "0::/a/b\n");
        machine.SetFile("/sys/fs/cgroup/a/b/cpu.max", "max 100000\n");
        machine.SetFile("/sys/fs/cgroup/a/cpu.max", "300000 100000\n");
        machine.SetFile("/sys/fs/cgroup/cpu.max", "600000 100000\n");

        var d = machine.Budget().Resolve();

        Assert.Equal(3, d.CpuQuota);
        Assert.Equal(3, d.Threads);
        Assert.Contains("cgroup CPU quota 3", d.Reason);
    }

    [Fact]
    public void Resolve_CgroupV1CfsQuota_CapsTheCores()
    {
        var machine = new FakeMachine(8, "0-7");
        machine.SetFile("/proc/self/cgroup", "12:pids:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/\n");
        machine.SetFile("/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "250000\n");
        machine.SetFile("/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");

        var d = machine.Budget().Resolve();

        Assert.Equal(2.5, d.CpuQuota);
        Assert.Equal(2, d.Threads);
    }

    [Fact]
    public void Resolve_CgroupV1WithoutQuota_NoCap()
    {
        var machine = TwoCores();
        machine.SetFile("/proc/self/cgroup", "1:cpu:/\n0::/\n");
        machine.SetFile("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n");
        machine.SetFile("/sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n");

        var d = machine.Budget().Resolve();

        Assert.Null(d.CpuQuota);
        Assert.Equal(2, d.Threads);
    }

    [Fact]
    public void Resolve_FixedSetting_TakenAsItIsWithoutSampling()
    {
        var machine = TwoCores();
        machine.Busy[0] = machine.Busy[1] = 1;

        var d = machine.Budget().Resolve(ThreadSetting.Fixed(3));

        Assert.Equal(3, d.Threads);
        Assert.Equal("3", d.Setting);
        Assert.Null(d.OtherBusyCores);
        Assert.StartsWith("fixed at 3 by the setting (2 usable core(s)", d.Reason);
        Assert.Equal(0, machine.Sleeps);
    }

    [Fact]
    public void Resolve_NoProc_ProcessorCountAndSaysTheLoadIsUnknown()
    {
        var machine = TwoCores();
        machine.SetFile("/proc/self/status", null);
        var budget = new ThreadBudget(new ThreadBudgetOptions { Time = machine, ReadFile = _ => null, Sleep = machine.Sleep, ProcessorCount = 6 });

        var d = budget.Resolve();

        Assert.Equal(6, d.Threads);
        Assert.Null(d.OtherBusyCores);
        Assert.Contains("the load of other processes is unknown", d.Reason);
    }

    [Fact]
    public void Resolve_UnreadableProcStat_UsableCoresAndSaysTheLoadIsUnknown()
    {
        var machine = TwoCores();
        machine.Busy[0] = 1;
        var budget = new ThreadBudget(new ThreadBudgetOptions { Time = machine, ReadFile = p => p == "/proc/stat" ? null : machine.Read(p), Sleep = machine.Sleep });

        var d = budget.Resolve();

        Assert.Equal(2, d.Threads);
        Assert.Contains("unreadable", d.Reason);
    }

    [Fact]
    public void Resolve_ThisMachine_BetweenOneAndTheProcessorCount()
    {
        var d = new ThreadBudget(new ThreadBudgetOptions { SampleInterval = TimeSpan.FromMilliseconds(50) }).Resolve();

        Assert.InRange(d.Threads, 1, Environment.ProcessorCount);
        Assert.InRange(d.UsableCores, 1, Environment.ProcessorCount);
        if (OperatingSystem.IsLinux()) Assert.NotNull(d.OtherBusyCores);
    }
}
