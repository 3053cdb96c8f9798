namespace Kairos.Deep.Lstm;

/// <summary>Training and validation windows with what is known about their dataset. Owns the tensors.</summary>
public sealed class SequenceTrainingData(SequenceTensors train, SequenceTensors? validation, SequenceDatasetInfo info) : IDisposable
{
    public SequenceTensors Train { get; } = train;
    /// <summary>Validation split for early stopping and validation metrics (null: none).</summary>
    public SequenceTensors? Validation { get; } = validation;
    public SequenceDatasetInfo Info { get; } = info;

    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
    }
}
