using Kairos.Tests.Bundles;

namespace Kairos.Tests.Tft;

/// <summary>A TFT trained on the bundle tests' real dataset, bundled with their trees, evaluation and verdict, once.</summary>
public sealed class TftBundleFixture() : DeepBundleFixture("kairos-tft-bundle", "tft", "--no-tree-signals", "--epochs", "1", "--limit-samples", "256",
    "--batch-size", "64", "--log-every", "0", "--patience", "0", "--threads", "1", "--seed", "3", "--hidden", "16", "--heads", "2", "--predict-splits", "none");
