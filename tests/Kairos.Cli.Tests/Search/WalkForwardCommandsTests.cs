using System.Security.Cryptography;
using System.Text.Json;
using Kairos.Datasets;
using Kairos.Search;
using Kairos.Tests.Commands;
using Kairos.Search.Storage;

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
        var create = KairosCli.Run("walkforward", "create", "--storage", location, "--study", "wf", "--dataset", RealEurusdDataset.Path,
            "--ensemble", "2",
            "--parameters", """{"learning_rate": 0.1, "max_iterations": 200, "early_stopping_rounds": 20}""", "--json");
        Assert.True(create.ExitCode == 0, create.StandardError);
        Assert.Equal(["fold_1", "fold_2", "fold_3"],
            JsonDocument.Parse(create.StandardOutput).RootElement.GetProperty("folds").EnumerateArray().Select(f => f.GetString()));

        var early = KairosCli.Run("walkforward", "report", "--storage", location, "--study", "wf");
        Assert.Equal(2, early.ExitCode);
        Assert.Contains("fold item 0 (fold_1) is waiting", early.StandardError);

        var workers = Enumerable.Range(0, 2).Select(_ => new KairosChild("worker", "--storage", location, "--study", "wf")).ToList();
        foreach (var w in workers)
        {
            var code = w.WaitForExit(TimeSpan.FromSeconds(300));
            Assert.True(code == 0, w.Output);
            w.Dispose();
        }

        var run = KairosCli.Run("walkforward", "report", "--storage", location, "--study", "wf", "--json");
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

    /// <summary>
    /// A trees search of two real trials on SQLite, run by a worker; a walk-forward of its best trial records the storage,
    /// study, trial and value that <c>study show</c> reports as best, with the parameters the folds train with, in the
    /// stored spec and in the finished walk-forward's report.
    /// </summary>
    [Fact]
    public void CreateBestOf_SqliteGbdtStudy_RecordsTheBestTrialStudyShowReports()
    {
        var location = "sqlite:" + Path.Combine(TestData.TempDirectory(), "wf.db");
        var create = KairosCli.Run("study", "create", "--storage", location, "--study", "trees", "--objective", "gbdt", "--dataset", RealEurusdDataset.Path,
            "--objective-spec", """{"parameters": {"max_iterations": 60, "early_stopping_rounds": 10, "learning_rate": 0.1, "threads": 1, "max_bin": 63}}""",
            "--trials", "2", "--seed", "7", "--pruner", "none");
        Assert.True(create.ExitCode == 0, create.StandardError);
        var search = KairosCli.Run("worker", "--storage", location, "--study", "trees");
        Assert.True(search.ExitCode == 0, search.StandardError);
        var show = KairosCli.Run("study", "show", "--storage", location, "--study", "trees", "--json");
        Assert.True(show.ExitCode == 0, show.StandardError);
        var shown = JsonDocument.Parse(show.StandardOutput).RootElement;
        Assert.Equal(2, shown.GetProperty("complete").GetInt32());
        var best = shown.GetProperty("best_trials")[0];

        var wf = KairosCli.Run("walkforward", "create", "--storage", location, "--study", "wf", "--dataset", RealEurusdDataset.Path,
            "--best-of", "trees", "--ensemble", "2", "--json");

        Assert.True(wf.ExitCode == 0, wf.StandardError);
        var created = JsonDocument.Parse(wf.StandardOutput).RootElement;
        var stored = StoredSpec(location, "wf");
        foreach (var (what, source) in new[] { ("create output", created.GetProperty("parameter_source")), ("stored spec", stored.GetProperty("parameter_source")) })
        {
            Assert.True(source.GetProperty("origin").GetString() == "best_trial", $"{what}: {source}");
            Assert.Equal(shown.GetProperty("storage").GetString(), source.GetProperty("storage").GetString());
            Assert.Equal(shown.GetProperty("study").GetString(), source.GetProperty("study").GetString());
            Assert.Equal(best.GetProperty("number").GetInt32(), source.GetProperty("trial").GetInt32());
            Assert.Equal(best.GetProperty("value").GetDouble(), source.GetProperty("value").GetDouble());
        }
        // The parameters used: the best trial's searched values on the study's basis (iteration cap, early stopping).
        foreach (var parameters in new[] { created.GetProperty("parameters"), stored.GetProperty("parameters") })
        {
            foreach (var searched in best.GetProperty("params").EnumerateObject())
                Assert.Equal(searched.Value.GetDouble(), parameters.GetProperty(searched.Name).GetDouble());
            Assert.Equal(60, parameters.GetProperty("max_iterations").GetInt32());
            Assert.Equal(10, parameters.GetProperty("early_stopping_rounds").GetInt32());
        }

        // The finished walk-forward's report carries the same record.
        var folds = KairosCli.Run("worker", "--storage", location, "--study", "wf");
        Assert.True(folds.ExitCode == 0, folds.StandardError);
        var report = KairosCli.Run("walkforward", "report", "--storage", location, "--study", "wf", "--json");
        Assert.True(report.ExitCode == 0, report.StandardError);
        var reported = JsonDocument.Parse(report.StandardOutput).RootElement;
        Assert.Equal(3, reported.GetProperty("folds").GetArrayLength());
        Assert.True(SameIgnoringNulls(stored.GetProperty("parameter_source"), reported.GetProperty("parameter_source")), reported.GetProperty("parameter_source").ToString());
        Assert.True(SameIgnoringNulls(stored.GetProperty("parameters"), reported.GetProperty("parameters")), reported.GetProperty("parameters").ToString());
        var text = KairosCli.Run("walkforward", "report", "--storage", location, "--study", "wf");
        Assert.True(text.ExitCode == 0, text.StandardError);
        // The console wraps long lines: compare without white space.
        Assert.Contains(NoSpace(FormattableString.Invariant(
            $"parameters: best trial {best.GetProperty("number").GetInt32()} (value {best.GetProperty("value").GetDouble():G6}) of study 'trees' in {location}")), NoSpace(text.StandardOutput));
    }

    [Fact]
    public void Create_ParametersFile_RecordsItsFullPathAndSha256()
    {
        var dir = TestData.TempDirectory();
        var file = Path.Combine(dir, "trees-params.json");
        File.WriteAllText(file, """
            {
              "learning_rate": 0.08,
              "num_leaves": 23,
              "max_iterations": 150
            }
            """);
        var location = "sqlite:" + Path.Combine(dir, "wf.db");

        var r = KairosCli.Run("walkforward", "create", "--storage", location, "--study", "wf", "--dataset", RealEurusdDataset.Path, "--parameters", file, "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var stored = StoredSpec(location, "wf");
        var source = stored.GetProperty("parameter_source");
        Assert.Equal("file", source.GetProperty("origin").GetString());
        Assert.Equal(file, source.GetProperty("file").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), source.GetProperty("sha256").GetString());
        Assert.Equal(JsonValueKind.Null, source.GetProperty("storage").ValueKind);
        Assert.Equal(0.08, stored.GetProperty("parameters").GetProperty("learning_rate").GetDouble());
        Assert.Equal(23, stored.GetProperty("parameters").GetProperty("num_leaves").GetInt32());
        Assert.Equal(150, stored.GetProperty("parameters").GetProperty("max_iterations").GetInt32());
        Assert.True(SameIgnoringNulls(source, JsonDocument.Parse(r.StandardOutput).RootElement.GetProperty("parameter_source")), r.StandardOutput);
    }

    [Fact]
    public void Create_BadParameters_Exit2NamingTheOptionFileAndRule()
    {
        var dir = TestData.TempDirectory();
        var location = "sqlite:" + Path.Combine(dir, "wf.db");
        var typo = Path.Combine(dir, "typo.json");
        File.WriteAllText(typo, """{"learning_rat": 0.08}""");
        var range = Path.Combine(dir, "range.json");
        File.WriteAllText(range, """{"learning_rate": 2, "num_leaves": 1}""");
        var missing = Path.Combine(dir, "missing.json");
        string[] Create(string parameters) => ["walkforward", "create", "--storage", location, "--study", "wf", "--dataset", RealEurusdDataset.Path, "--parameters", parameters];

        var noFile = KairosCli.Run(Create(missing));
        var unknown = KairosCli.Run(Create(typo));
        var outOfRange = KairosCli.Run(Create(range));
        var both = KairosCli.Run([.. Create(range), "--best-of", "trees"]);

        Assert.Equal(2, noFile.ExitCode);
        Assert.Contains($"--parameters: 1 problem(s)", noFile.StandardError);
        Assert.Contains($"'{missing}' is not a file", noFile.StandardError);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains($"--parameters {typo}: 1 problem(s)", unknown.StandardError);
        Assert.Contains("'learning_rat'", unknown.StandardError);
        Assert.Equal(2, outOfRange.ExitCode);
        Assert.Contains($"--parameters {range}: 2 problem(s)", outOfRange.StandardError);
        Assert.Contains("learning_rate must be in (0, 1], got 2", outOfRange.StandardError);
        Assert.Contains("num_leaves must be in [2, 131072], got 1", outOfRange.StandardError);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("give either --parameters or --best-of, not both", both.StandardError);
        using var storage = StudyStorage.Open(location);
        Assert.Empty(storage.ListStudies());
    }

    /// <summary>The walk-forward spec as the storage holds it (<c>study show</c>'s <c>objective_spec</c>).</summary>
    private static JsonElement StoredSpec(string location, string study)
    {
        var show = KairosCli.Run("study", "show", "--storage", location, "--study", study, "--json");
        Assert.True(show.ExitCode == 0, show.StandardError);
        using var storage = StudyStorage.Open(location);
        var stored = JsonDocument.Parse(Study.Load(storage, study).Options.ObjectiveSpec).RootElement;
        Assert.True(JsonElement.DeepEquals(stored, JsonDocument.Parse(show.StandardOutput).RootElement.GetProperty("objective_spec")), show.StandardOutput);
        return stored;
    }

    /// <summary>Equal JSON once null-valued properties are left out (the command's JSON omits them, the stored spec keeps them).</summary>
    private static bool SameIgnoringNulls(JsonElement a, JsonElement b) => System.Text.Json.Nodes.JsonNode.DeepEquals(WithoutNulls(a), WithoutNulls(b));

    private static System.Text.Json.Nodes.JsonNode? WithoutNulls(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new System.Text.Json.Nodes.JsonObject(e.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null)
            .Select(p => KeyValuePair.Create(p.Name, WithoutNulls(p.Value)))),
        JsonValueKind.Array => new System.Text.Json.Nodes.JsonArray(e.EnumerateArray().Select(WithoutNulls).ToArray()),
        _ => System.Text.Json.Nodes.JsonValue.Create(e),
    };

    private static string NoSpace(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", "");
}
