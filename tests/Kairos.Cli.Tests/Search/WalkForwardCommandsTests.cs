using System.Text.Json;
using Kairos.Datasets;
using Kairos.Search;
using Kairos.Tests.Commands;

namespace Kairos.Tests.Search;

/// <summary>
/// Walk-forward folds of a real dataset (the first 20,000 EURUSD M5 bars, 3 forward-chaining folds)
/// queued as work items, run by two worker processes at once with the trees stage's per-session models,
/// then aggregated.
/// </summary>
public class WalkForwardCommandsTests
{
    [Fact]
    public void CreateWorkersReport_ThreeFolds_PerFoldAndPooledMetricsConsistent()
    {
        var location = "sqlite:" + Path.Combine(TestData.TempDirectory(), "wf.db");
        var create = EvalCliRunner.Run("walkforward", "create", "--storage", location, "--study", "wf", "--dataset", RealEurusdDataset.Path,
            "--ensemble", "2",
            "--parameters", """{"learning_rate": 0.1, "max_iterations": 200, "early_stopping_rounds": 20}""", "--json");
        Assert.True(create.ExitCode == 0, create.StandardError);
        Assert.Equal(["fold_1", "fold_2", "fold_3"],
            JsonDocument.Parse(create.StandardOutput).RootElement.GetProperty("folds").EnumerateArray().Select(f => f.GetString()));

        var early = EvalCliRunner.Run("walkforward", "report", "--storage", location, "--study", "wf");
        Assert.Equal(2, early.ExitCode);
        Assert.Contains("fold item 0 (fold_1) is waiting", early.StandardError);

        var workers = Enumerable.Range(0, 2).Select(_ => new WorkerProcess("worker", "--storage", location, "--study", "wf")).ToList();
        foreach (var w in workers)
        {
            var code = w.WaitForExit(TimeSpan.FromSeconds(300));
            Assert.True(code == 0, w.Output);
            w.Dispose();
        }

        var run = EvalCliRunner.Run("walkforward", "report", "--storage", location, "--study", "wf", "--json");
        Assert.True(run.ExitCode == 0, run.StandardError);
        var doc = JsonDocument.Parse(run.StandardOutput).RootElement;
        var folds = doc.GetProperty("folds").EnumerateArray().ToList();
        var pooled = doc.GetProperty("pooled");
        Assert.Equal(3, folds.Count);

        // Each fold's rows are its validation split; the pooled log loss and Brier are the row-weighted
        // means of the folds' (an identity of averages over concatenated predictions).
        var reader = DatasetReader.Open(RealEurusdDataset.Path);
        var rows = folds.Select(f => f.GetProperty("rows").GetInt32()).ToList();
        Assert.Equal(new[] { 1, 2, 3 }.Select(k => reader.Metadata.Split($"fold_{k}_val").Rows), rows.Select(r => (long)r));
        Assert.Equal(rows.Sum(), pooled.GetProperty("rows").GetInt32());
        double Weighted(string m) => folds.Sum(f => f.GetProperty(m).GetDouble() * f.GetProperty("rows").GetInt32()) / rows.Sum();
        Assert.Equal(Weighted("log_loss"), pooled.GetProperty("log_loss").GetDouble(), 1e-9);
        Assert.Equal(Weighted("brier"), pooled.GetProperty("brier").GetDouble(), 1e-9);
        Assert.Equal(Weighted("log_loss_raw"), pooled.GetProperty("log_loss_raw").GetDouble(), 1e-9);
        Assert.All(folds, f =>
        {
            Assert.InRange(f.GetProperty("log_loss").GetDouble(), 0.3, 1.0);
            Assert.InRange(f.GetProperty("roc_auc").GetDouble(), 0.3, 0.8);
            Assert.InRange(f.GetProperty("log_loss_raw").GetDouble(), 0.3, 1.0);
            // The trees stage's per-session models (not one pooled model): two seeds per session.
            var best = f.GetProperty("best_iterations").EnumerateObject().ToList();
            Assert.Equal(["EU", "OVERLAP", "US"], best.Select(b => b.Name));
            Assert.All(best, b => Assert.Equal(2, b.Value.EnumerateArray().Count(i => i.GetInt32() >= 1)));
            Assert.True(f.GetProperty("fit_rows").GetInt32() > 2 * f.GetProperty("held_out_rows").GetInt32());
        });
        // Folds move forward in time.
        var starts = folds.Select(f => f.GetProperty("start_time").GetInt64()).ToList();
        Assert.Equal(starts.Order(), starts);

        using var storage = StudyStorage.Open(location);
        var trials = Study.Load(storage, "wf").Trials();
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(folds.Select(f => f.GetProperty("log_loss").GetDouble()), trials.Select(t => t.Value!.Value));
    }
}
