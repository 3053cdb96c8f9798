using System.Text.Json;

namespace Kairos.Tests.Commands;

/// <summary>Golden cases 0, 3 and 4 evaluated once by <c>kairos eval</c> for all promotion tests.</summary>
public sealed class EvaluatedGoldenCases
{
    private readonly Dictionary<int, string> _dirs = [];

    public EvaluatedGoldenCases()
    {
        var dir = TestData.TempDirectory();
        foreach (var index in new[] { 0, 3, 4 })
        {
            var csv = EvalCommandsTests.WriteGoldenCsv(dir, index, $"case{index}.csv");
            var output = Path.Combine(dir, $"case{index}");
            var result = KairosCli.Run("eval", "--predictions", csv, "--bootstrap", "200", "--out", output);
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"kairos eval failed ({result.ExitCode}): {result.StandardError}");
            _dirs[index] = output;
        }
    }

    public string this[int index] => _dirs[index];
}

public class PromoteCommandTests(EvaluatedGoldenCases evaluated) : IClassFixture<EvaluatedGoldenCases>
{
    private string Evaluate(string dir, int index, string name) => evaluated[index];

    [Fact]
    public void Promote_BetterOnEveryRule_ExitsZeroAndWritesPassingVerdict()
    {
        // Case 0 (informative, ECE 0.1397) over case 4 (informative, ECE 0.1347): PR-AUC 0.9835 > 0.9789,
        // Brier 0.0725 < 0.0761, ECE 0.1397 <= 0.1347 + 0.02.
        var dir = TestData.TempDirectory();
        var candidate = Evaluate(dir, 0, "cand");
        var baseline = Evaluate(dir, 4, "base");
        var verdict = Path.Combine(dir, "verdict.json");

        var result = KairosCli.Run("promote", "--candidate", candidate, "--baseline", baseline, "--allow-different-data", "--out", verdict);

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(verdict));
        Assert.True(doc.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(3, doc.RootElement.GetProperty("rules").GetArrayLength());
        Assert.Contains("pr_auc_up", result.StandardOutput);
    }

    [Fact]
    public void Promote_EceBeyondTolerance_ExitsFourNamingRule()
    {
        // Case 0 over case 3 (overconfident, ECE 0.0725): ECE 0.1397 > 0.0725 + 0.02.
        var dir = TestData.TempDirectory();
        var verdict = Path.Combine(dir, "verdict.json");

        var result = KairosCli.Run("promote", "--candidate", Evaluate(dir, 0, "cand"), "--baseline", Evaluate(dir, 3, "base"),
            "--allow-different-data", "--out", verdict, "--json");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("ece_within_tolerance", result.StandardError);
        using var doc = JsonDocument.Parse(File.ReadAllText(verdict));
        Assert.False(doc.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(["ece_within_tolerance"], doc.RootElement.GetProperty("failed").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Promote_LooserTolerance_Passes()
    {
        var dir = TestData.TempDirectory();

        var result = KairosCli.Run("promote", "--candidate", Evaluate(dir, 0, "cand"), "--baseline", Evaluate(dir, 3, "base"),
            "--allow-different-data", "--ece-tolerance", "0.1", "--out", Path.Combine(dir, "v.json"));

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Promote_DifferentDataWithoutFlag_ExitsTwo()
    {
        var dir = TestData.TempDirectory();

        var result = KairosCli.Run("promote", "--candidate", Evaluate(dir, 0, "cand"), "--baseline", Evaluate(dir, 4, "base"), "--out", Path.Combine(dir, "v.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("different data", result.StandardError);
    }

    [Fact]
    public void Promote_BeyondNoiseOnSameRows_UsesPairedBootstrapBothWays()
    {
        var dir = TestData.TempDirectory();
        var candidate = EvalCommandsTests.WriteGoldenCsv(dir, 0, "cand.csv");
        // Same rows and labels, probabilities half replaced by noise: clearly worse in PR-AUC and Brier.
        var rng = new Random(5);
        var lines = File.ReadAllLines(candidate);
        var baseline = Path.Combine(dir, "base.csv");
        File.WriteAllLines(baseline, lines.Take(1).Concat(lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            var p = double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture);
            cells[2] = (0.5 * p + 0.5 * rng.NextDouble()).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            return string.Join(',', cells);
        })));

        var pass = KairosCli.Run("promote", "--candidate", candidate, "--baseline", baseline, "--beyond-noise", "--ece-tolerance", "1",
            "--out", Path.Combine(dir, "pass.json"));
        var fail = KairosCli.Run("promote", "--candidate", baseline, "--baseline", candidate, "--beyond-noise", "--ece-tolerance", "1",
            "--out", Path.Combine(dir, "fail.json"));

        Assert.Equal(0, pass.ExitCode);
        using var verdict = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "pass.json")));
        Assert.StartsWith("paired", verdict.RootElement.GetProperty("noise_method").GetString());
        Assert.True(verdict.RootElement.GetProperty("paired").GetProperty("brier_delta_interval").GetProperty("upper").GetDouble() < 0);
        Assert.Equal(4, fail.ExitCode);
        Assert.Contains("pr_auc_up, brier_down", fail.StandardError);
    }
}
