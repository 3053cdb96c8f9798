using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>One batch of a sequence model (the LSTM classifier, the pretrainers), on the training device.</summary>
/// <param name="Windows">Scaled windows <c>[B, L, F]</c> float32 of the model's features.</param>
/// <param name="Direction">y_direction <c>[B]</c> float32 in {0, 1}.</param>
public sealed record SequenceBatch(Tensor Windows, Tensor Direction)
{
    /// <summary>Number of samples in the batch.</summary>
    public long Count => Direction.shape[0];
}
