namespace Kairos.Bundles;

/// <summary>
/// The hybrid model of a bundle, loaded for one-bar inference (implemented where the deep model lives):
/// one forward pass on one bar's scaled inputs and tree signals, returning the direction probability.
/// </summary>
public interface IHybridLatencyModel : IDisposable
{
    /// <summary>What computes the forward pass (recorded with the measurement), e.g. "managed kernel (512-bit vectors)".</summary>
    string Engine { get; }

    /// <summary>Forward pass on one bar: window <c>[L, S]</c> row-major, snapshot <c>[F]</c>, context, tree signals.</summary>
    double Forward(ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> contextCategorical,
        ReadOnlySpan<float> contextContinuous, in TreeSignalValues signals);
}
