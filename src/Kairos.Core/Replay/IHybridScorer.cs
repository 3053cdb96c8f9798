using Kairos.Bundles;
namespace Kairos.Replay;

/// <summary>
/// The hybrid model as replay sees it: <c>p_long</c> (direction head) for the stream's current bar, given
/// the bar's tree signals. Implemented where the model runtime lives (Kairos.Deep); replay builds the
/// inputs with <see cref="FeatureStream"/> exactly as the dataset reader does.
/// </summary>
public interface IHybridScorer : IDisposable
{
    double PLong(FeatureStream stream, in TreeSignalValues signals);
}
