using Kairos.Bundles;
using Kairos.Settings;

namespace Kairos.Replay;

/// <summary>How a bundle is opened for replay.</summary>
public sealed record BundleReplayOptions
{
    /// <summary>
    /// Live mode: a feature contract that differs from the running code is a loud warning
    /// (<see cref="BundlePredictor.Warnings"/>) instead of a verification failure (exit 3).
    /// </summary>
    public bool Live { get; init; }

    /// <summary>Which model gives <c>p_long</c> (<see cref="Settings.PLong"/>); resolved against the bundle by <see cref="PLongSelection"/>.</summary>
    public PLongChoice PLong { get; init; } = Settings.PLong.Default;

    /// <summary>
    /// Refuse eligible bars whose inputs lie beyond the bundle's training distribution (<see cref="Bundles.InputDistribution"/>):
    /// they are still scored but come back with reason <c>out_of_distribution</c>, never a candidate. Default on.
    /// </summary>
    public bool OutOfDistributionGuard { get; init; } = true;

    /// <summary>Bars the hybrid model scores per forward pass when replay streams ahead (offline); live mode scores one at a time.</summary>
    public int HybridBatchSize { get; init; } = DefaultHybridBatchSize;

    public const int DefaultHybridBatchSize = 256;

    /// <summary>Loads the hybrid model of a bundle (directory, metadata, stream); null when no hybrid runtime is available.</summary>
    public Func<string, BundleMetadata, FeatureStream, IHybridScorer>? HybridLoader { get; init; }

    /// <summary>
    /// Scores the trees in another runtime (bundle directory, bundle metadata and the loaded LightGBM trees, whose feature
    /// order the scorer must take); null: LightGBM through <see cref="TreeSignalModel"/>.
    /// </summary>
    public Func<string, BundleMetadata, TreeSignalModel, ITreeRowScorer>? TreeLoader { get; init; }

    /// <summary>The settings defined once for every command that scores a bundle and for the run config.</summary>
    public static class Settings
    {
        /// <summary><c>--p-long</c> of replay, predict, eval, backtest and serve, and <c>replay.p_long</c> of a run config.</summary>
        public static readonly ChoiceSetting<PLongChoice> PLong = new("p_long", PLongChoice.Auto,
            "Model giving p_long: auto (the model the bundle's gate judged, recorded in the bundle; trees for a bundle that records none), trees (calibrated p_cal) or hybrid (the deep model's direction head).");
    }
}
