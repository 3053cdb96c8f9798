using System.Diagnostics;
using Kairos.Bundles;

namespace Kairos.Tests.Bundles;

public sealed class LatencyHarnessTests
{
    [Fact]
    public void Measure_CallsWarmUpThenSamplesInOrderOnCallingThread()
    {
        var calls = new List<(int Index, int Thread)>();

        var samples = LatencyHarness.Measure(i => calls.Add((i, Environment.CurrentManagedThreadId)), samples: 50, warmUp: 7);

        Assert.Equal(50, samples.Count);
        Assert.Equal(50, samples.WallUs.Length);
        Assert.Equal(57, calls.Count);
        Assert.Equal(Enumerable.Range(0, 7).Concat(Enumerable.Range(0, 50)), calls.Select(c => c.Index));
        Assert.All(calls, c => Assert.Equal(Environment.CurrentManagedThreadId, c.Thread));
        Assert.All(samples.WallUs, s => Assert.True(s >= 0));
        Assert.InRange(samples.PreemptedCalls, 0, 50);
    }

    [Fact]
    public void Measure_BusyStepOf200Microseconds_EverySampleAtLeastThat()
    {
        var ticks = (long)(200e-6 * Stopwatch.Frequency);

        var samples = LatencyHarness.Measure(_ =>
        {
            var start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() - start < ticks) { }
        }, samples: 20, warmUp: 2);

        Assert.All(samples.WallUs, s => Assert.True(s >= 199.9, $"sample {s} µs is shorter than the step's 200 µs busy wait"));
        Assert.True(LatencySummary.FromSamples(samples.WallUs).MinUs >= 199.9);
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(samples.CpuUs);
            Assert.All(samples.CpuUs!, c => Assert.True(c > 0, "a busy call consumed no CPU time"));
            Assert.True(LatencySummary.FromSamples(samples.CpuUs!).P50Us >= 150, "the thread's CPU time of a 200 µs busy wait should be close to it on a core it holds most of the time");
            Assert.All(samples.WallUs.Zip(samples.CpuUs!), p => Assert.True(p.Second <= p.First + 50, $"CPU time {p.Second} µs exceeds wall time {p.First} µs"));
        }
    }

    [Fact]
    public void Measure_SleepingStep_WallTimeCountsItCpuTimeDoesNot()
    {
        var samples = LatencyHarness.Measure(_ => Thread.Sleep(2), samples: 10, warmUp: 1);

        Assert.All(samples.WallUs, s => Assert.True(s >= 1900));
        if (OperatingSystem.IsLinux())
            Assert.True(LatencySummary.FromSamples(samples.CpuUs!).P50Us < 500, "sleeping should cost almost no CPU time");
    }

    [Fact]
    public void Measure_AllocatingStep_CountsAllocatedBytes()
    {
        var keep = new List<byte[]>();

        var samples = LatencyHarness.Measure(_ => keep.Add(new byte[10_000]), samples: 20, warmUp: 0);

        Assert.True(samples.AllocatedBytes >= 20 * 10_000, $"{samples.AllocatedBytes} bytes counted for 200,000 allocated");
    }

    [Fact]
    public void Measure_Pause_SleepsBeforeEachCallOutsideTheTimedPart()
    {
        var started = Stopwatch.GetTimestamp();

        var samples = LatencyHarness.Measure(_ => { }, samples: 20, warmUp: 0, pause: TimeSpan.FromMilliseconds(2));

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(40));
        Assert.All(samples.WallUs, s => Assert.True(s < 1000, $"the pause leaked into a measured call ({s} µs)"));
    }

    [Fact]
    public void Measure_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyHarness.Measure(_ => { }, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyHarness.Measure(_ => { }, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyHarness.Measure(_ => { }, 1, 0, TimeSpan.FromMilliseconds(-1)));
    }

    [Fact]
    public void CurrentMachine_DescribesThisProcess()
    {
        var machine = LatencyHarness.CurrentMachine();

        Assert.Equal(Environment.ProcessorCount, machine.ProcessorCount);
        Assert.Contains(".NET", machine.Runtime);
        if (OperatingSystem.IsLinux()) Assert.NotNull(machine.LoadAverage1m);
    }
}
