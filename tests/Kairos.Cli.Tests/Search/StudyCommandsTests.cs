using System.Text.Json;
using Kairos.Search;
using Kairos.Tests.Commands;

namespace Kairos.Tests.Search;

public class StudyCommandsTests
{
    [Fact]
    public void CreateWorkerShow_TestObjective_BestTrialsAndImportanceInJson()
    {
        var location = "sqlite:" + Path.Combine(TestData.TempDirectory(), "s.db");
        var create = KairosCli.Run("study", "create", "--storage", location, "--study", "demo", "--objective", "test",
            "--objective-spec", """{"steps": 3}""", "--trials", "30", "--seed", "9", "--pruner", "none");
        Assert.True(create.ExitCode == 0, create.StandardError);
        var work = KairosCli.Run("worker", "--storage", location, "--study", "demo", "--json");
        Assert.True(work.ExitCode == 0, work.StandardError);
        Assert.Equal(30, JsonDocument.Parse(work.StandardOutput).RootElement.GetProperty("complete").GetInt32());

        var show = KairosCli.Run("study", "show", "--storage", location, "--study", "demo", "--top", "3", "--json");
        Assert.True(show.ExitCode == 0, show.StandardError);
        var doc = JsonDocument.Parse(show.StandardOutput).RootElement;
        Assert.Equal(30, doc.GetProperty("complete").GetInt32());
        var best = doc.GetProperty("best_trials").EnumerateArray().ToList();
        Assert.Equal(3, best.Count);
        var values = best.Select(b => b.GetProperty("value").GetDouble()).ToList();
        Assert.Equal(values.Order(), values);
        var p = best[0].GetProperty("params");
        Assert.Equal(values[0], TestObjective.Value(p.GetProperty("x").GetDouble(), p.GetProperty("lr").GetDouble(),
            p.GetProperty("depth").GetInt64(), p.GetProperty("kind").GetString()!), 12);
        var importance = doc.GetProperty("importance").EnumerateArray().ToList();
        Assert.Equal(["depth", "kind", "lr", "x"], importance.Select(e => e.GetProperty("name").GetString()).Order());
        Assert.Equal(1.0, importance.Sum(e => e.GetProperty("importance").GetDouble()), 1e-9);

        var list = KairosCli.Run("study", "list", "--storage", location, "--json");
        var study = Assert.Single(JsonDocument.Parse(list.StandardOutput).RootElement.GetProperty("studies").EnumerateArray());
        Assert.Equal(values[0], study.GetProperty("best_value").GetDouble());
    }

    [Fact]
    public void Create_ExistingStudyDifferentSeed_ExitCode2NamingSetting()
    {
        var location = "sqlite:" + Path.Combine(TestData.TempDirectory(), "s.db");
        Assert.Equal(0, KairosCli.Run("study", "create", "--storage", location, "--study", "x", "--objective", "test", "--seed", "1").ExitCode);
        var again = KairosCli.Run("study", "create", "--storage", location, "--study", "x", "--objective", "test", "--seed", "2");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("seed: stored 1, requested 2", again.StandardError);
    }

    [Fact]
    public void Overfit_UnknownStudyOrNoSeries_ExitCode2NamingTheRule()
    {
        var location = "sqlite:" + Path.Combine(TestData.TempDirectory(), "s.db");
        var unknown = KairosCli.Run("study", "overfit", "--storage", location, "--study", "missing");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no study named 'missing'", unknown.StandardError);

        // The built-in test objective records no performance series: its complete trials cannot be analysed.
        Assert.Equal(0, KairosCli.Run("study", "create", "--storage", location, "--study", "t", "--objective", "test", "--trials", "3", "--pruner", "none").ExitCode);
        Assert.Equal(0, KairosCli.Run("worker", "--storage", location, "--study", "t").ExitCode);
        var none = KairosCli.Run("study", "overfit", "--storage", location, "--study", "t", "--json");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("--study", none.StandardError);
        Assert.Contains("has 0 complete trial(s) with a performance series (3 complete, 0 pruned, 0 failed)", none.StandardError);
        Assert.Contains("need at least 2", none.StandardError);
    }

    [Fact]
    public void Show_UnknownStudyOrObjective_ExitCode2()
    {
        var location = "sqlite:" + Path.Combine(TestData.TempDirectory(), "s.db");
        var show = KairosCli.Run("study", "show", "--storage", location, "--study", "missing");
        Assert.Equal(2, show.ExitCode);
        Assert.Contains("no study named 'missing'", show.StandardError);
        var create = KairosCli.Run("study", "create", "--storage", location, "--study", "y", "--objective", "xgboost");
        Assert.Equal(2, create.ExitCode);
        Assert.Contains("unknown objective kind 'xgboost'", create.StandardError);
    }
}
