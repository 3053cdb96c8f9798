using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Tests.Bundles;

namespace Kairos.Tests.Tft;

/// <summary>A TFT trained on the bundle tests' real dataset, bundled with their trees, evaluation and verdict, once.</summary>
public sealed class TftBundleFixture
{
    public TftBundleFixture()
    {
        var inputs = BundleInputs.Instance;
        var root = TestData.TempDirectory("kairos-tft-bundle");
        Run = Path.Combine(root, "run");
        Train = KairosCli.Run("train", "tft", "--dataset", inputs.Dataset, "--out", Run, "--no-tree-signals", "--epochs", "1", "--limit-samples", "256",
            "--batch-size", "64", "--log-every", "0", "--patience", "0", "--threads", "1", "--seed", "3", "--hidden", "16", "--heads", "2", "--predict-splits", "none");
        Build = KairosCli.Run("bundle", "build", "--dataset", inputs.Dataset, "--trees", inputs.Trees, "--run", Run, "--eval", inputs.Evaluation,
            "--out", Path.Combine(root, "bundles"), "--verdict", inputs.PassedVerdict, "--json");
        if (Build.ExitCode == 0) Directory = (string)JsonNode.Parse(Build.StandardOutput)!["directory"]!;
    }

    public string Run { get; }
    internal KairosResult Train { get; }
    internal KairosResult Build { get; }
    public string? Directory { get; }

    public Bundle Open() => Bundle.Open(Directory!, new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance });
}
