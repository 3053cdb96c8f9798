using System.Text.Json.Nodes;
using Kairos.Search;
using Kairos.Search.Pruners;
using Kairos.Search.Storage;
using Kairos.Tests.Run;

namespace Kairos.Tests.Cli;

/// <summary>
/// The CLI in process gives what the <c>kairos</c> process gives (exit code, standard output, standard error), and an
/// in-process caller can cancel a long-running command through the invocation's token.
/// </summary>
public sealed class InProcessCliTests
{
    [Fact]
    public void SnapshotCreate_InProcessAndAsAProcess_SameExitCodeSameIdSameJsonShape()
    {
        var dir = TestData.TempDirectory("kairos-inproc-snapshot");
        var csv = Path.Combine(dir, "eurusd.csv");
        File.WriteAllLines(csv, File.ReadLines(TestData.File("EURUSD_M5_2025_mt5.csv")).Take(3001));

        var inProcess = InProcessCli.Run("snapshot", "create", "--input", csv, "--symbol", "EURUSD", "--out", Path.Combine(dir, "a"), "--json");
        var process = KairosCli.Run("snapshot", "create", "--input", csv, "--symbol", "EURUSD", "--out", Path.Combine(dir, "b"), "--json");

        Assert.True(inProcess.ExitCode == 0, inProcess.ToString());
        Assert.Equal(process.ExitCode, inProcess.ExitCode);
        var a = inProcess.Node();
        var b = process.Node();
        Assert.Equal((string)b["id"]!, (string)a["id"]!);
        Assert.Equal(Keys(b), Keys(a));
    }

    [Theory]
    [InlineData("train", "gbdt", "--dataset", "/nonexistent", "--out", "/tmp/x", "--threads", "zero")]
    [InlineData("snapshot", "create", "--input", "/nonexistent/bars.csv", "--symbol", "EURUSD", "--out", "/tmp/kairos-never")]
    [InlineData("eval", "--no-such-option")]
    public void BadInput_InProcessAndAsAProcess_SameExitCodeSameStandardStreams(params string[] args)
    {
        var inProcess = InProcessCli.Run(args);
        var process = KairosCli.Run(args);

        Assert.NotEqual(0, inProcess.ExitCode);
        Assert.Equal(process.ExitCode, inProcess.ExitCode);
        // The one difference: help's usage line names the executable, which in process is the test host.
        Assert.Equal(process.StandardOutput, inProcess.StandardOutput.Replace("\n  testhost ", "\n  kairos ", StringComparison.Ordinal));
        Assert.Equal(process.StandardError, inProcess.StandardError);
    }

    [Fact]
    public void Eval_BinsOutOfRange_ExitTwoNamingTheKeyAndTheRangeTheHelpAndYamlShow()
    {
        var dir = TestData.TempDirectory("kairos-inproc-eval");
        var csv = Path.Combine(dir, "predictions.csv");
        File.WriteAllLines(csv, ["y_true,y_prob", .. Enumerable.Range(0, 40).Select(i => $"{i % 2},0.{10 + i}")]);

        var r = InProcessCli.Run("eval", "--predictions", csv, "--bins", "0", "--bootstrap", "0");
        var help = InProcessCli.Run("eval", "--help");
        var yaml = RunSlice.Write(dir, "run.yaml", "input: {files: [x.csv], symbol: EURUSD}\nevaluation: {bins: 0}\nregistry: r\nout: o");
        var run = InProcessCli.Run("run", yaml);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bins must be in [1, 1000], got 0", r.StandardError);
        Assert.Contains("[1, 1000]. [default: 10]", string.Join(' ', help.StandardOutput.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("evaluation.bins (line 2): 0 is out of range [1, 1000]", run.StandardError);
    }

    [Fact]
    public void Worker_CallerCancels_StopsWithTrialsLeftNoneRunningAndReturnsOk()
    {
        var location = "sqlite:" + Path.Combine(TestData.TempDirectory("kairos-inproc-worker"), "study.db");
        using (var storage = StudyStorage.Open(location))
        {
            var study = Study.CreateOrLoad(storage, "cancel", new StudyOptions
            {
                Seed = 5,
                Pruner = new PrunerOptions { Kind = PrunerKind.None },
                ObjectiveKind = "test",
                ObjectiveSpec = """{"steps": 40, "step_milliseconds": 50}""",
            });
            storage.EnsureTargetTrials(study.Record.StudyId, 5);
        }
        // The built-in test objective does not look at the token inside a trial: the worker stops at the next trial boundary.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var result = InProcessCli.Run(["worker", "--storage", location, "--study", "cancel"], cancel.Token);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("interrupted: the running trial went back to the queue", result.StandardError);
        using var check = StudyStorage.Open(location);
        var id = Study.Load(check, "cancel").Record.StudyId;
        var running = check.GetTrials(id, [TrialState.Running]);
        Assert.True(running.Count == 0, $"running after the cancel: {string.Join(", ", running.Select(t => $"#{t.Number} {t.WorkerId}"))}\n{result}");
        Assert.InRange(check.GetTrials(id, [TrialState.Complete]).Count, 0, 2);
    }

    private static List<string> Keys(JsonNode node) => node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
}
