using System.Diagnostics;
using Kairos.Bundles;
using Kairos.Errors;

namespace Kairos.Tests.Bundles;

public sealed class BundleLatencyBenchmarkTests
{
    private sealed class BusyHybrid(double microseconds) : IHybridLatencyModel
    {
        public int Calls { get; private set; }
        public string Engine => "busy loop";
        public (int Seq, int Snap, int Cat, int Cont) Widths { get; private set; }

        public double Forward(ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> contextCategorical,
            ReadOnlySpan<float> contextContinuous, in TreeSignalValues signals)
        {
            Calls++;
            Widths = (sequence.Length, snapshot.Length, contextCategorical.Length, contextContinuous.Length);
            var ticks = (long)(microseconds * 1e-6 * Stopwatch.Frequency);
            var start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() - start < ticks) { }
            return signals.PCal;
        }

        public void Dispose() { }
    }

    private static Bundle TreeBundle(out IDisposable ensemble)
    {
        var (dir, e, _) = TreeBundles.Build(TestData.TempDirectory());
        ensemble = e;
        return Bundle.Open(dir, new BundleVerifyOptions { ContractAuthority = TestBundles.Authority });
    }

    [Fact]
    public void Run_TreesOnly_OneStageWithTargetAndNoFullPathBlock()
    {
        var bundle = TreeBundle(out var ensemble);
        using var _ = ensemble;

        var m = BundleLatencyBenchmark.Run(bundle, null, new BundleLatencyOptions { Samples = 200, WarmUp = 20 }, TimeProvider.System);

        Assert.Null(m.FullPathMs);
        var stage = Assert.Single(m.Detail.Stages);
        Assert.Equal("trees_calibration", stage.Name);
        Assert.Equal(200, stage.Samples);
        Assert.Equal(50, stage.TargetP99Us);
        Assert.True(stage.P50Us > 0 && stage.P50Us <= stage.P99Us && stage.P99Us <= stage.MaxUs);
        Assert.Contains("seed 1337", m.Detail.Inputs);
    }

    [Fact]
    public void Run_WithHybrid_FullPathIncludesForwardAndInputsHaveContractShapes()
    {
        var bundle = TreeBundle(out var ensemble);
        using var _ = ensemble;
        var hybrid = new BusyHybrid(150);

        var m = BundleLatencyBenchmark.Run(bundle, hybrid, new BundleLatencyOptions { Samples = 100, WarmUp = 10 }, TimeProvider.System);

        Assert.Equal(110, hybrid.Calls);
        Assert.Equal((4 * 3, 4, 5, 2), hybrid.Widths);
        var full = m.Detail.Stages.Single(s => s.Name == "full_path");
        Assert.True(full.P50Us >= 150, $"full path p50 {full.P50Us} µs is below the forward pass's 150 µs");
        Assert.NotNull(m.FullPathMs);
        Assert.Equal(full.P99Us / 1000, m.FullPathMs!.P99, 12);
        Assert.Equal(100, m.FullPathMs.Samples);
    }

    [Fact]
    public void Run_WrittenIntoCard_BundleStillVerifies()
    {
        var bundle = TreeBundle(out var ensemble);
        using var _ = ensemble;
        var m = BundleLatencyBenchmark.Run(bundle, new BusyHybrid(20), new BundleLatencyOptions { Samples = 50, WarmUp = 5 }, TimeProvider.System);

        BundleBuilder.ReplaceCard(bundle.Directory, c => c with { LatencyMs = m.FullPathMs, LatencyDetail = m.Detail }, TestBundles.Authority);

        var reopened = Bundle.Open(bundle.Directory, new BundleVerifyOptions { ContractAuthority = TestBundles.Authority });
        Assert.Equal(m.FullPathMs, reopened.Card.LatencyMs);
        Assert.Equal(2, reopened.Card.LatencyDetail!.Stages.Count);
    }

    [Fact]
    public void Run_TooFewSamples_ConfigError()
    {
        var bundle = TreeBundle(out var ensemble);
        using var _ = ensemble;

        var e = Assert.Throws<ConfigException>(() => BundleLatencyBenchmark.Run(bundle, null, new BundleLatencyOptions { Samples = 3 }, TimeProvider.System));

        Assert.Contains("samples must be in [10, 1000000], got 3", e.Message);
    }
}
