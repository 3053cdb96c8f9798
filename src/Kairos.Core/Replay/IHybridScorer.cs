using Kairos.Bundles;
namespace Kairos.Replay;

/// <summary>
/// The hybrid model as replay, predict and serve see it: its heads (<c>p_long</c> from the direction head, the
/// early-move probability and the quality prediction) for the stream's current bar, given the bar's tree signals. Implemented where the model runtime lives (Kairos.Deep); replay builds the
/// inputs with <see cref="FeatureStream"/> exactly as the dataset reader does.
/// </summary>
public interface IHybridScorer : IDisposable
{
    HybridHeads Score(FeatureStream stream, in TreeSignalValues signals);

    /// <summary>
    /// What runs the deep model, as loaded: <c>managed</c>, <c>libtorch</c> or <c>onnx</c> (a TFT or LSTM bundle runs on libtorch
    /// whatever engine was asked for). Default <c>managed</c>.
    /// </summary>
    string Engine => "managed";
}
