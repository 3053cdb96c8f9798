using Kairos.Bundles;

namespace Kairos.Replay;

/// <summary>
/// Another runtime for a bundle's trees (ONNX Runtime for <c>kairos serve --engine onnx</c>): the five signals of one
/// bar from its tree feature row (<see cref="TreeSignalModel.CopyFeatures"/>: <see cref="TreeSignalModel.FeatureNames"/>
/// order, unscaled, categorical context as ids) and its session id, the calibrators included. Plugged in through
/// <see cref="BundleReplayOptions.TreeLoader"/>; without one, <see cref="BundlePredictor"/> scores with LightGBM.
/// </summary>
public interface ITreeRowScorer : IDisposable
{
    /// <summary>Which runtime scores (for status and logs), e.g. <c>onnx</c>.</summary>
    string Engine { get; }

    TreeSignalValues Score(int sessionId, ReadOnlySpan<float> features);
}
