using Kairos.Errors;

namespace Kairos.Bundles;

/// <summary>
/// Single-sample, single-thread, warm inference latency of a bundle, per bar: the feature vector through the
/// session's trees and calibrator (stage <c>trees_calibration</c>), and, when the hybrid model is given, the
/// whole path feature vector -> trees -> calibration -> hybrid forward (stage <c>full_path</c>). Inputs are real
/// rows of a dataset split when <see cref="BundleLatencyOptions.Dataset"/> names one, otherwise seeded draws from
/// the feature contract's train statistics (<see cref="LatencyInputs"/>).
/// </summary>
public static class BundleLatencyBenchmark
{
    public const string TreesStage = "trees_calibration";
    public const string FullPathStage = "full_path";

    public static LatencyMeasurement Run(Bundle bundle, IHybridLatencyModel? hybrid, BundleLatencyOptions options, TimeProvider time)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ConfigException("bench latency", problems);
        using var trees = BundleTreeScorer.Open(bundle);
        var rows = options.WarmUp + options.Samples;
        var inputs = options.Dataset is { } dataset
            ? LatencyInputs.FromDataset(bundle, trees, dataset, options.Split, rows, options.Seed)
            : LatencyInputs.Draw(bundle, trees, rows, options.Seed);
        var machine = LatencyHarness.CurrentMachine();
        double sink = 0;

        var treeSamples = LatencyHarness.Measure(i =>
        {
            var s = trees.Score(inputs.Sessions[i], inputs.TreeRow(i));
            sink += s.PCal;
        }, options.Samples, options.WarmUp, TimeSpan.FromMilliseconds(options.PauseMs));
        var stages = new List<LatencyStage> { LatencySummary.Stage(TreesStage, treeSamples, options.TreesTargetP99Us) };

        ModelCardLatency? full = null;
        if (hybrid is not null)
        {
            var fullSamples = LatencyHarness.Measure(i =>
            {
                var s = trees.Score(inputs.Sessions[i], inputs.TreeRow(i));
                sink += hybrid.Forward(inputs.SequenceWindow(i), inputs.SnapshotRow(i), inputs.ContextCategoricalRow(i), inputs.ContextContinuousRow(i), s);
            }, options.Samples, options.WarmUp, TimeSpan.FromMilliseconds(options.PauseMs));
            stages.Add(LatencySummary.Stage(FullPathStage, fullSamples, options.FullPathTargetP99Us));
            full = LatencySummary.FromSamples(fullSamples.WallUs).ToCardMilliseconds();
        }
        if (!double.IsFinite(sink)) throw new InvalidOperationException("inference produced a non-finite probability during the latency benchmark");

        var report = new LatencyReport
        {
            MeasuredAt = time.GetUtcNow(),
            Machine = machine with { LoadAverage1mAfter = LatencyHarness.CurrentMachine().LoadAverage1m },
            Stages = stages,
            Engine = hybrid?.Engine,
            Inputs = $"{inputs.Description}; the first {options.WarmUp} are warm-up; " +
                (options.PauseMs > 0 ? $"{options.PauseMs} ms idle before each measured call" : "calls back to back"),
        };
        return new LatencyMeasurement(full, report);
    }
}
