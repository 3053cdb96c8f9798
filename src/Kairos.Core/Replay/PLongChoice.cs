namespace Kairos.Replay;

/// <summary>
/// Which model a command or run asks to give <c>p_long</c> (<c>--p-long</c>, the run config's <c>replay.p_long</c>,
/// defined once in <see cref="BundleReplayOptions.Settings.PLong"/>); <see cref="PLongSelection"/> resolves it against a bundle.
/// </summary>
public enum PLongChoice
{
    /// <summary>The model the bundle's gate judged (<c>p_long</c> in <c>bundle_metadata.json</c>); the trees for a bundle that records none.</summary>
    Auto,
    /// <summary>The trees' calibrated probability (<c>p_cal</c>).</summary>
    Trees,
    /// <summary>The deep model's direction head (hybrid, TFT or LSTM: the bundle's <c>hybrid</c> component).</summary>
    Hybrid,
}
