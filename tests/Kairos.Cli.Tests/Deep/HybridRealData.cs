using Kairos.Datasets;
using Kairos.Snapshots;

namespace Kairos.Tests.Deep;

/// <summary>
/// A real dataset built once per test run from a year of EURUSD M5 bars (short window and feature lists to
/// stay fast), and the smoke-size options every hybrid CLI test trains with.
/// </summary>
internal sealed class HybridRealData
{
    private static readonly string Config = SmallRealData.DatasetYaml();

    private static readonly Lazy<HybridRealData> Shared = new(() => new HybridRealData(TestData.SharedDirectory("kairos-hybrid-data")));

    private HybridRealData(string root)
    {
        var dataset = SmallRealData.EurusdDataset(Config);
        var built = (Directory: dataset, Metadata: DatasetReader.Open(dataset).Metadata);
        Dataset = built.Directory;
        Metadata = built.Metadata;
        Root = root;
    }

    public static HybridRealData Instance => Shared.Value;

    public string Root { get; }
    public string Dataset { get; }
    public DatasetMetadata Metadata { get; }

    /// <summary>Smoke-size training on the real dataset without tree signals (it is not enriched): 3 epochs of 768 samples.</summary>
    public string[] TrainArgs(string outDir, params string[] extra) =>
    [
        "train", "hybrid", "--dataset", Dataset, "--out", outDir, "--no-tree-signals", "--epochs", "3", "--limit-samples", "768",
        "--batch-size", "32", "--lr", "1e-3", "--log-every", "1", "--patience", "0", "--threads", "2", "--seed", "7",
        "--d-model", "32", "--heads", "4", "--layers", "2", "--feed-forward", "64", "--fusion", "gated", .. extra,
    ];
}
