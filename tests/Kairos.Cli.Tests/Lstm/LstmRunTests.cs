using System.Text.Json.Nodes;
using Kairos.Errors;
using Kairos.Pipeline;
using Kairos.Tests.Bundles;
using Kairos.Tests.Run;

namespace Kairos.Tests.Lstm;

public class LstmRunTests
{
    private const string LstmSection = """
        model: lstm
        compare: [hybrid, lstm]
        lstm:
          epochs: 2
          batch_size: 32
          limit_samples: 512
          hidden: 16
          layers: 1
          patience: 0
        """;

    [Fact]
    public void Run_ModelLstmComparedWithHybrid_TrainsBundlesAndJudgesTheLstm_ReportsBothOnTheSameRows()
    {
        var dir = RunSlice.Directory("kairos-lstm-run");
        var config = RunSlice.Config(dir, "slice.yaml");
        File.AppendAllText(config, LstmSection + "\n");

        var result = KairosCli.Run("run", config, "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var json = JsonNode.Parse(result.StandardOutput)!;
        var stages = json["stages"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => s!);
        Assert.StartsWith("lstm ", (string)stages["hybrid"]["detail"]!);
        var run = (string)stages["hybrid"]["artifact"]!;
        Assert.Equal("lstm", Path.GetFileName(Path.GetDirectoryName(run)));
        Assert.Contains("lstm direction head", (string)stages["evaluation"]["detail"]!);
        var bundle = (string)json["bundle"]!;
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "hybrid", "bundle_metadata.json")))!;
        Assert.Equal("lstm", (string)model["model_family"]!);
        Assert.Equal(model["input_sequence_features"]!.ToJsonString(), model["sequence_features"]!.ToJsonString());
        Assert.Equal("bilstm_attn", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "bundle_metadata.json")))!["model_variant"]!);
        Assert.Contains("LSTM", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "model_card.json")))!["latency_detail"]!["engine"]!);
        var html = File.ReadAllText((string)json["report"]!);
        Assert.Contains("LSTM classifier", html);

        // Comparison mode: the hybrid trained beside the LSTM and both scored on the LSTM's test rows; the gate judged the LSTM only.
        Assert.Contains("Model families compared", html);
        var comparison = json["comparison"]!;
        Assert.Equal("lstm", (string)comparison["chosen"]!);
        var models = comparison["models"]!.AsArray();
        Assert.Equal(["lstm", "hybrid"], models.Select(m => (string)m!["name"]!));
        Assert.Null(models[0]!["versus_chosen"]);
        var lstmTest = Kairos.Evaluation.PredictionsCsv.Read(Path.Combine(run, "predictions_test.csv"));
        var hybridRun = Path.GetDirectoryName((string)models[1]!["source"]!)!;
        Assert.Equal("hybrid", Path.GetFileName(Path.GetDirectoryName(hybridRun)));
        var hybridTest = Kairos.Evaluation.PredictionsCsv.Read((string)models[1]!["source"]!);
        Assert.Equal(lstmTest.Count, (long)comparison["rows"]!);
        var labels = lstmTest.RequireLabels();
        var (_, pairedLstm, pairedHybrid, _) = Kairos.Evaluation.PairedBootstrap.Align(lstmTest, hybridTest);
        var logLossDiff = Kairos.Evaluation.ClassificationMetrics.LogLoss(labels, pairedHybrid) - Kairos.Evaluation.ClassificationMetrics.LogLoss(labels, pairedLstm);
        Assert.Equal(logLossDiff, (double)models[1]!["versus_chosen"]!["log_loss"]!, 1e-9);
        var interval = models[1]!["versus_chosen"]!["log_loss_interval"]!;
        Assert.True((double)interval["lower"]! <= logLossDiff && logLossDiff <= (double)interval["upper"]!, interval.ToJsonString());
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine((string)json["run_directory"]!, "run.json")))!;
        Assert.Equal((double)models[1]!["versus_chosen"]!["log_loss"]!, (double)state["comparison"]!["models"]![1]!["versus_chosen"]!["log_loss"]!);
        Assert.Equal("lstm", (string)state["comparison"]!["chosen"]!);
        Assert.Contains("lstm (chosen)", (string)stages["compare"]["detail"]!);

        // kairos predict with the LSTM bundle over its own test period reproduces the run's predictions_test.csv row for row.
        PredictParity.AssertPredictReproducesTheRunsTestPredictions(dir, bundle, (string)stages["snapshot"]["artifact"]!);
    }

    [Fact]
    public void Load_LstmSection_ParsedBadValuesNamedWalkForwardRefused()
    {
        var dir = RunSlice.Directory("kairos-lstm-run-config");
        var lstm = RunSlice.Config(dir, "lstm.yaml");
        File.AppendAllText(lstm, LstmSection + "\n");
        var bad = RunSlice.Config(dir, "bad.yaml");
        File.AppendAllText(bad, "model: lstm\nlstm:\n  epochs: 0\n  dropout: 1.5\n  heads: 2\n");
        var walkForward = RunSlice.Config(dir, "walkforward.yaml");
        File.AppendAllText(walkForward, LstmSection + "\n" + WalkForwardSlice.Section + "\n");

        var loaded = RunConfigLoader.LoadFile(lstm);
        var e = Assert.Throws<ConfigException>(() => RunConfigLoader.LoadFile(bad));
        var w = Assert.Throws<ConfigException>(() => RunConfigLoader.LoadFile(walkForward));

        Assert.Equal(DeepModelKind.Lstm, loaded.Model);
        Assert.Equal((16, 1, 2, 512L), (loaded.Lstm.Encoder.HiddenSize, loaded.Lstm.Encoder.Layers, loaded.Lstm.Training.Epochs, loaded.Lstm.Training.LimitSamples!.Value));
        Assert.Contains(e.Problems, p => p.Contains("epochs"));
        Assert.Contains(e.Problems, p => p.Contains("dropout"));
        Assert.Contains(e.Problems, p => p.Contains("heads"));
        Assert.Contains(w.Problems, p => p.Contains("model: 'lstm' with walkforward"));
    }
}
