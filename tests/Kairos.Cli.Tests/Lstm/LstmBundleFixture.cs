using Kairos.Tests.Bundles;

namespace Kairos.Tests.Lstm;

/// <summary>
/// An LSTM classifier trained through the CLI on the bundle tests' real dataset, reading two of its four sequence features in
/// another order than the dataset's (so that the bundle must pick the window's columns), bundled with their trees, evaluation
/// and verdict, once.
/// </summary>
public sealed class LstmBundleFixture() : DeepBundleFixture("kairos-lstm-bundle", "lstm", "--features", string.Join(",", Features), "--epochs", "1",
    "--limit-samples", "256", "--batch-size", "64", "--log-every", "0", "--patience", "0", "--threads", "1", "--seed", "3", "--hidden", "16",
    "--layers", "1", "--predict-splits", "none")
{
    /// <summary>The classifier's features: a subset of the dataset's [ret_1, z_20, range_bps, tod_sin], reordered.</summary>
    public static readonly string[] Features = ["z_20", "ret_1"];
}
