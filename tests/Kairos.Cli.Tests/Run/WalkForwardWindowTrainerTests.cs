using System.Globalization;
using Kairos.Evaluation;
using Kairos.Pipeline;
using Kairos.Snapshots;
using Kairos.Threading;

namespace Kairos.Tests.Run;

/// <summary>A walk-forward window's models are trained without its test window: changing the test bars changes nothing they learnt.</summary>
public class WalkForwardWindowTrainerTests
{
    private sealed record Trained(WalkForwardPlan Plan, WalkForwardWindowResult Result);

    private static Trained TrainLastWindow(string dir)
    {
        var loaded = RunConfigLoader.LoadFile(WalkForwardSlice.Config(dir, "wf.yaml", WalkForwardSlice.Section.Replace("windows: 3", "windows: 1", StringComparison.Ordinal)));
        // The two trainings are compared byte for byte: libtorch's weights depend on the thread count, which auto
        // decides from the load, so the hybrid is pinned to one thread (the trees are the same on any count).
        var config = loaded with { Hybrid = loaded.Hybrid with { Training = loaded.Hybrid.Training with { Threads = ThreadSetting.Fixed(1) } } };
        var snapshot = new SnapshotCreator(TimeProvider.System).Create(config.Inputs.Select(f => new SnapshotInput(f, config.Symbol)).ToArray(), config.Read,
            Path.Combine(config.Out, "snapshots")).Snapshot;
        var plan = WalkForwardPlan.Create(config, snapshot);
        var window = Assert.Single(plan.Windows);
        return new Trained(plan, new WalkForwardWindowTrainer(plan, TimeProvider.System, null).Train(window, Progress.NullProgressSink.Instance, null));
    }

    /// <summary>
    /// The same slice twice, the second with every bar from the test window's start on mirrored around the last close
    /// before it (every later move reversed: other features, other labels). The window's trees (every LightGBM model and
    /// calibrator) and hybrid weights must be byte for byte the same: nothing of the test window reached training, early
    /// stopping, calibration, scalers or buckets. The test predictions and labels differ, so the change did reach the test rows.
    /// </summary>
    [Fact]
    public void Train_TestWindowBarsMirrored_ModelsByteIdenticalTestRowsDiffer()
    {
        var original = RunSlice.Directory("kairos-wf-leak-a");
        var a = TrainLastWindow(original);
        var window = a.Plan.Windows[0];
        var mirrored = RunSlice.Directory("kairos-wf-leak-b");
        Mirror(Path.Combine(mirrored, "eurusd_slice.csv"), (long)(window.TestStart - DateTime.UnixEpoch).TotalSeconds);

        var b = TrainLastWindow(mirrored);

        Assert.Equal(window, b.Plan.Windows[0]);
        Assert.NotEqual(a.Result.DatasetId, b.Result.DatasetId);
        Assert.Equal(a.Result.TrainRows, b.Result.TrainRows);
        Assert.Equal(a.Result.ValidationRows, b.Result.ValidationRows);
        var models = Files(a.Result.Trees, "models");
        Assert.NotEmpty(models);
        foreach (var file in models.Append("calibrators.json"))
            Assert.True(File.ReadAllBytes(Path.Combine(a.Result.Trees, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(b.Result.Trees, file))), $"trees {file} differs");
        Assert.True(File.ReadAllBytes(Path.Combine(a.Result.Hybrid, "model.bin")).SequenceEqual(File.ReadAllBytes(Path.Combine(b.Result.Hybrid, "model.bin"))), "hybrid weights differ");

        var pa = PredictionsCsv.Read(a.Result.Predictions);
        var pb = PredictionsCsv.Read(b.Result.Predictions);
        Assert.True(pa.Count > 100, $"{pa.Count} test rows");
        Assert.All(pa.Timestamps!, t => Assert.InRange(t, (long)(window.TestStart - DateTime.UnixEpoch).TotalSeconds, (long)(window.TestEnd - DateTime.UnixEpoch).TotalSeconds - 1));
        Assert.NotEqual(pa.Labels!, pb.Labels!);
        Assert.NotEqual(pa.Probabilities, pb.Probabilities);
    }

    private static IEnumerable<string> Files(string root, string sub) =>
        Directory.GetFiles(Path.Combine(root, sub), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Rewrites the bar CSV: every price of a bar opening at or after <paramref name="from"/> becomes 2 c - price (c: the last close before), high and low swapped.</summary>
    private static void Mirror(string csv, long from)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = File.ReadAllLines(csv);
        double? pivot = null;
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            var time = DateTimeOffset.Parse(cells[0], c).ToUnixTimeSeconds();
            if (time < from)
            {
                pivot = double.Parse(cells[4], c);
                continue;
            }
            string M(string v) => (2 * pivot!.Value - double.Parse(v, c)).ToString("F5", c);
            (cells[1], cells[2], cells[3], cells[4]) = (M(cells[1]), M(cells[3]), M(cells[2]), M(cells[4]));
            lines[i] = string.Join(',', cells);
        }
        File.WriteAllLines(csv, lines);
    }
}
