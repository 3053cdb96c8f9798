using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>
/// A split of prebuilt training tensors (the hybrid's inputs, or the sequence windows), as the shared epoch loop
/// (<see cref="SequenceRunLoop"/>) limits and moves it.
/// </summary>
/// <typeparam name="TSelf">The split type itself.</typeparam>
public interface ITrainingSplit<TSelf> : IDisposable where TSelf : ITrainingSplit<TSelf>
{
    /// <summary>Split name (train, val, test, ...), used in messages.</summary>
    string Name { get; }

    /// <summary>Number of samples.</summary>
    long Count { get; }

    /// <summary>The first <paramref name="count"/> samples (smoke runs): a new owner of views.</summary>
    TSelf Head(long count);

    /// <summary>Moves the tensors to <paramref name="device"/> (a new owner).</summary>
    TSelf To(Device device);

    /// <summary>Mean of the direction label (class balance).</summary>
    double DirectionMean();
}
