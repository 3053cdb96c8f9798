using System.Globalization;
using System.Text.Json.Nodes;
using Kairos.Evaluation;
using Kairos.Tests.Bundles;

namespace Kairos.Tests.Run;

/// <summary>
/// Issue 17 item 1 and issue 19 item 1 through real <c>kairos run</c> processes: a champion trained on the first 16,000
/// bars of EURUSD M5 2025, then a challenger on the grown data (the first 20,000 bars: about three more weeks) with
/// another feature contract (other snapshot and sequence features, another sequence length). The challenger's gate
/// re-scores the champion through the champion's own pipeline on the challenger's test rows and judges the pair; a
/// <c>kairos promote</c> on the two evaluations the gate judged reaches the same verdict.
/// </summary>
public class GateOnGrownDataTests(GateOnGrownDataTests.TwoRuns runs) : IClassFixture<GateOnGrownDataTests.TwoRuns>
{
    public sealed class TwoRuns
    {
        public TwoRuns()
        {
            Directory = TestData.TempDirectory("kairos-gate-grown");
            var lines = File.ReadLines(TestData.File("EURUSD_M5_2025_mt5.csv")).Take(20_001).ToList();
            File.WriteAllLines(Path.Combine(Directory, "champion.csv"), lines.Take(16_001));
            File.WriteAllLines(Path.Combine(Directory, "challenger.csv"), lines);
            Champion = KairosCli.Run("run", Config("champion.yaml", "champion.csv", SmallRealData.ReturnFeatures, SmallRealData.SnapshotFeatures, 12), "--json");
            Challenger = KairosCli.Run("run", Config("challenger.yaml", "challenger.csv", "[ret_1, z_20, tod_sin]", "[ret_1, ret_12, vol_12, atr_14]", 10), "--json");
        }

        public string Directory { get; }
        internal KairosResult Champion { get; }
        internal KairosResult Challenger { get; }

        private string Config(string name, string file, string sequence, string snapshot, int seqLen) =>
            RunSlice.TinyConfig(Directory, name, $"{{files: [{file}], symbol: EURUSD}}", "{beyond_noise: true, ece_tolerance: 0.05}", "out/registry",
                SmallRealData.DatasetYaml(seqLen, sequence, snapshot, indent: 2));
    }

    private static JsonNode Outcome(KairosResult r)
    {
        Assert.True(r.ExitCode is 0 or 4, $"exit {r.ExitCode}: {r.StandardError}");
        return JsonNode.Parse(r.StandardOutput)!;
    }

    private static string Artifact(JsonNode outcome, string stage) =>
        (string)outcome["stages"]!.AsArray().Single(s => (string)s!["name"]! == stage)!["artifact"]!;

    private JsonNode Gate() => JsonNode.Parse(File.ReadAllText(Path.Combine(Artifact(Outcome(runs.Challenger), "gate"), "gate.json")))!;

    private static Predictions Judged(string evaluationDirectory) =>
        PredictionsCsv.Read(EvaluationReportFile.Load(Path.Combine(evaluationDirectory, EvaluationReportFile.FileName)).Source);

    [Fact]
    public void Run_GrownData_ChampionRescoredOnTheChallengersRowsComparableAndPaired()
    {
        var champion = Outcome(runs.Champion);
        Assert.Equal("no_baseline", (string)champion["gate"]!);
        var challenger = Outcome(runs.Challenger);
        Assert.Equal((string)champion["best_version"]!, (string)challenger["baseline_version"]!);
        var gate = Gate();

        Assert.Equal("rescored", (string)gate["baseline_method"]!);
        Assert.DoesNotContain(gate["verdict"]!["rules"]!.AsArray(), r => (string)r!["name"]! is "comparable" or "baseline_verifies");
        Assert.StartsWith("paired", (string)gate["verdict"]!["noise_method"]!);
        // The champion's own evaluation is on its own (earlier, shorter) test period: without re-scoring, not comparable.
        var stored = EvaluationReportFile.Load(Path.Combine(Artifact(champion, "evaluation"), EvaluationReportFile.FileName));
        var candidate = PredictionsCsv.Read(Path.Combine(Artifact(challenger, "hybrid"), "predictions_test.csv"));
        Assert.NotEqual(stored.Overall.Count, candidate.Count);
        Assert.True(candidate.Timestamps!.Min() > Judged(Artifact(champion, "evaluation")).Timestamps!.Max(), "the challenger's test rows lie after the champion's");

        // Both judged on identical timestamps and labels: the challenger's test rows the champion scores (all but a few at most).
        var c = Judged((string)gate["candidate_evaluation"]!);
        var b = Judged((string)gate["baseline_evaluation"]!);
        Assert.Equal(c.Timestamps!, b.Timestamps!);
        Assert.Equal(c.Labels!, b.Labels!);
        Assert.Equal((int)gate["common_rows"]!, c.Count);
        Assert.Equal(candidate.Count, (int)gate["candidate_rows"]!);
        Assert.True(c.Count >= 0.9 * candidate.Count, $"{c.Count} of {candidate.Count} rows paired");
        Assert.All(c.Timestamps!, t => Assert.Contains(t, candidate.Timestamps!));
        var same = gate["verdict"]!["same_rows"]!;
        Assert.Equal(c.Count, (int)same["rows"]!);
        Assert.Equal(c.Count, (int)same["baseline"]!["count"]!);
        var delta = same["differences"]!;
        Assert.True((double)delta["brier_delta_interval"]!["lower"]! <= (double)delta["brier_delta"]! && (double)delta["brier_delta"]! <= (double)delta["brier_delta_interval"]!["upper"]!);
        Assert.NotNull(delta["roc_auc_delta"]);
        // The report shows both models on the same rows.
        var html = File.ReadAllText((string)challenger["report"]!);
        Assert.Contains("Both models on the same", html);
        Assert.Contains("re-scored through its own pipeline", html);
    }

    [Fact]
    public void Run_ChampionWithAnotherFeatureContract_IsScoredThroughItsOwnPipeline()
    {
        var champion = Outcome(runs.Champion);
        var challenger = Outcome(runs.Challenger);
        var contract = (string bundle) => (string)JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "bundle_metadata.json")))!["feature_contract_hash"]!;
        Assert.NotEqual(contract((string)champion["bundle"]!), contract((string)challenger["bundle"]!));
        var b = Judged((string)Gate()["baseline_evaluation"]!);

        // kairos predict with the champion's bundle on the challenger's snapshot gives the same probabilities on those bars.
        var csv = Path.Combine(runs.Directory, "champion_on_challenger.csv");
        var iso = (long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var predict = KairosCli.Run("predict", "--bundle", (string)champion["bundle"]!, "--snapshot", Artifact(challenger, "snapshot"),
            "--from", iso(b.Timestamps!.Min()), "--to", iso(b.Timestamps!.Max() + 1), "--p-long", "hybrid", "--out", csv);
        Assert.True(predict.ExitCode == 0, predict.StandardError);
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var byTime = lines.Skip(1).Select(l => l.Split(',')).Where(c => c[Col("p_long")].Length > 0).ToDictionary(
            c => DateTimeOffset.Parse(c[Col("timestamp")], CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
            c => double.Parse(c[Col("p_long")], CultureInfo.InvariantCulture));
        for (var i = 0; i < b.Count; i++)
            Assert.Equal(byTime[b.Timestamps![i]], b.Probabilities[i], 1e-12);
    }

    [Fact]
    public void Promote_OnTheGatesPair_SameVerdictAsRun()
    {
        var gate = Gate();
        var verdict = Path.Combine(runs.Directory, "promote_verdict.json");

        var promote = KairosCli.Run("promote", "--candidate", (string)gate["candidate_evaluation"]!, "--baseline", (string)gate["baseline_evaluation"]!,
            "--beyond-noise", "--ece-tolerance", "0.05", "--out", verdict, "--json");

        Assert.True(promote.ExitCode is 0 or 4, promote.StandardError);
        var run = gate["verdict"]!;
        var cli = JsonNode.Parse(File.ReadAllText(verdict))!;
        Assert.Equal((bool)run["passed"]!, (bool)cli["passed"]!);
        Assert.Equal((bool)run["passed"]! ? 0 : 4, promote.ExitCode);
        Assert.Equal(run["rules"]!.ToJsonString(), cli["rules"]!.ToJsonString());
        Assert.Equal(run["paired"]!.ToJsonString(), cli["paired"]!.ToJsonString());
        Assert.Equal((string)run["noise_method"]!, (string)cli["noise_method"]!);
    }
}
