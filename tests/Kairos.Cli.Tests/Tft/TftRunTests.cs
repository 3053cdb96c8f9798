using System.Text.Json.Nodes;
using Kairos.Errors;
using Kairos.Pipeline;
using Kairos.Tests.Bundles;
using Kairos.Tests.Run;

namespace Kairos.Tests.Tft;

public class TftRunTests
{
    private const string TftSection = """
        model: tft
        tft:
          epochs: 2
          batch_size: 32
          limit_samples: 512
          hidden: 16
          heads: 2
          patience: 0
        """;

    [Fact]
    public void Run_ModelTftOnRealSlice_TrainsBundlesAndJudgesTheTft()
    {
        var dir = RunSlice.Directory("kairos-tft-run");
        var config = RunSlice.Config(dir, "slice.yaml");
        File.AppendAllText(config, TftSection + "\n");

        var result = KairosCli.Run("run", config, "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var json = JsonNode.Parse(result.StandardOutput)!;
        var stages = json["stages"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => s!);
        Assert.StartsWith("tft ", (string)stages["hybrid"]["detail"]!);
        var run = (string)stages["hybrid"]["artifact"]!;
        Assert.Equal("tft", Path.GetFileName(Path.GetDirectoryName(run)));
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!["interpretability"]);
        Assert.Contains("tft direction head", (string)stages["evaluation"]["detail"]!);
        var bundle = (string)json["bundle"]!;
        Assert.Equal("tft", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "bundle_metadata.json")))!["model_variant"]!);
        Assert.Equal("tft", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "hybrid", "bundle_metadata.json")))!["model_family"]!);
        Assert.Contains("TFT", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "model_card.json")))!["latency_detail"]!["engine"]!);
        var report = File.ReadAllText((string)json["report"]!);
        Assert.Contains("Temporal Fusion Transformer", report);
        Assert.Contains("variable importance", report);

        // kairos predict with the TFT bundle over its own test period reproduces the run's predictions_test.csv row for row.
        PredictParity.AssertPredictReproducesTheRunsTestPredictions(dir, bundle, (string)stages["snapshot"]["artifact"]!);
    }

    [Fact]
    public void Load_ModelSetting_DefaultHybridTftParsedUnknownNamedWalkForwardRefused()
    {
        var dir = RunSlice.Directory("kairos-tft-run-config");
        var plain = RunConfigLoader.LoadFile(RunSlice.Config(dir, "plain.yaml"));
        var tft = RunSlice.Config(dir, "tft.yaml");
        File.AppendAllText(tft, TftSection + "\n");
        var bad = RunSlice.Config(dir, "bad.yaml");
        File.AppendAllText(bad, "model: cnn\ntft:\n  hidden: 30\n  heads: 4\n");

        var walkForward = RunSlice.Config(dir, "walkforward.yaml");
        File.AppendAllText(walkForward, TftSection + "\n" + WalkForwardSlice.Section + "\n");

        var loaded = RunConfigLoader.LoadFile(tft);
        var e = Assert.Throws<ConfigException>(() => RunConfigLoader.LoadFile(bad));
        var w = Assert.Throws<ConfigException>(() => RunConfigLoader.LoadFile(walkForward));

        Assert.Equal(DeepModelKind.Hybrid, plain.Model);
        Assert.Equal(DeepModelKind.Tft, loaded.Model);
        Assert.Equal((16, 2, 2, 512L), (loaded.Tft.Model.Hidden, loaded.Tft.Model.Heads, loaded.Tft.Training.Epochs, loaded.Tft.Training.LimitSamples!.Value));
        Assert.Contains(e.Problems, p => p.Contains("model") && p.Contains("cnn"));
        Assert.Contains(e.Problems, p => p.Contains("tft: --heads (4) must divide --hidden (30)"));
        Assert.Contains(w.Problems, p => p.Contains("model: 'tft' with walkforward"));
    }
}
