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

        Assert.Equal(50, samples.Length);
        Assert.Equal(57, calls.Count);
        Assert.Equal(Enumerable.Range(0, 7).Concat(Enumerable.Range(0, 50)), calls.Select(c => c.Index));
        Assert.All(calls, c => Assert.Equal(Environment.CurrentManagedThreadId, c.Thread));
        Assert.All(samples, s => Assert.True(s >= 0));
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

        Assert.All(samples, s => Assert.True(s >= 199.9, $"sample {s} µs is shorter than the step's 200 µs busy wait"));
        Assert.True(LatencySummary.FromSamples(samples).MinUs >= 199.9);
    }

    [Fact]
    public void Measure_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyHarness.Measure(_ => { }, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyHarness.Measure(_ => { }, 1, -1));
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
