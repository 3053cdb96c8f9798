using System.Text.Json;
using Kairos.Tests.Bundles;
using Kairos.Tests.Deep;

namespace Kairos.Tests.Tft;

public class TrainTftCommandTests
{
    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static string[] Args(string outDir, params string[] extra) =>
    [
        "train", "tft", "--dataset", HybridRealData.Instance.Dataset, "--out", outDir, "--no-tree-signals", "--epochs", "3", "--limit-samples", "768",
        "--batch-size", "32", "--lr", "2e-3", "--log-every", "0", "--patience", "0", "--threads", "2", "--seed", "7", "--hidden", "16", "--heads", "2", .. extra,
    ];

    [Fact]
    public void TrainTft_RealDatasetSmoke_LossFallsAndInterpretabilityIsWritten()
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-tft-cli"), "run");

        var result = KairosCli.Run(Args(dir));

        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
        var metrics = Json(Path.Combine(dir, "metrics.json"));
        var epochs = metrics.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(3, epochs.Count);
        Assert.True(epochs[^1].GetProperty("train_loss").GetProperty("total").GetDouble() < epochs[0].GetProperty("train_loss").GetProperty("total").GetDouble());
        Assert.Equal("tft", metrics.GetProperty("model").GetString());

        var data = HybridRealData.Instance.Metadata;
        var interpretability = metrics.GetProperty("interpretability");
        var sequence = interpretability.GetProperty("sequence_variables").EnumerateArray().ToList();
        Assert.Equal(data.SequenceFeatures, sequence.Select(v => v.GetProperty("name").GetString()!));
        Assert.Equal(1.0, sequence.Sum(v => v.GetProperty("weight").GetDouble()), 5);
        var statics = interpretability.GetProperty("static_variables").EnumerateArray().Select(v => v.GetProperty("name").GetString()!).ToList();
        Assert.Equal([.. data.SnapshotFeatures, .. data.ContextCategorical, .. data.ContextContinuous], statics);
        Assert.Equal(data.SeqLen, interpretability.GetProperty("attention_by_lag").GetArrayLength());
        using (var bitmap = SkiaSharp.SKBitmap.Decode(Path.Combine(dir, "variable_importance.png")))
            Assert.Equal((1400, 1000), (bitmap.Width, bitmap.Height));
        Assert.Contains("variable selection and attention", result.StandardOutput);
        Assert.Contains("variable_importance.png", File.ReadAllText(Path.Combine(dir, "training.log")));

        var bundle = Json(Path.Combine(dir, "bundle_metadata.json"));
        Assert.Equal("tft", bundle.GetProperty("model_family").GetString());
        Assert.Equal(data.FeatureContractHash, bundle.GetProperty("feature_contract_hash").GetString());

        var eval = KairosCli.Run("eval", "--run", dir, "--split", "test", "--bootstrap", "0", "--json");
        Assert.True(eval.ExitCode == 0, eval.StandardError);
        var recorded = metrics.GetProperty("predictions").EnumerateArray().Single(p => p.GetProperty("split").GetString() == "test").GetProperty("direction");
        Assert.Equal(JsonDocument.Parse(eval.StandardOutput).RootElement.GetProperty("overall").GetProperty("brier").GetDouble(), recorded.GetProperty("brier").GetDouble(), 12);
    }

    [Fact]
    public void TrainTft_BadOptions_ExitsTwoNamingEveryOptionAndWritesNothing()
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-tft-cli"), "run");
        var args = Args(dir, "--dropout", "1.5");
        args[Array.IndexOf(args, "--heads") + 1] = "3";

        var result = KairosCli.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--heads (3) must divide --hidden (16)", result.StandardError);
        Assert.Contains("--dropout must be in [0, 1)", result.StandardError);
        Assert.False(Directory.Exists(dir) || Directory.Exists(dir + ".partial"));
    }

    [Fact]
    public void TrainTft_DatasetWithoutTreeSignalsAndNoOptOut_ExitsNamingTheRule()
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-tft-cli"), "run");

        var result = KairosCli.Run([.. Args(dir).Where(a => a != "--no-tree-signals")]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("calibrated-tree-signals-required", result.StandardError);
        Assert.False(Directory.Exists(dir) || Directory.Exists(dir + ".partial"));
    }
}
