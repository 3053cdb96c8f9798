namespace Kairos.Deep.Lstm;

/// <summary>Training and validation windows with what is known about their dataset. Owns the tensors.</summary>
public sealed class SequenceTrainingData(SequenceTensors train, SequenceTensors? validation, SequenceDatasetInfo info, IReadOnlyList<string>? predictionSplits = null)
    : IDisposable
{
    public SequenceTensors Train { get; } = train;
    /// <summary>Validation split for early stopping and validation metrics (null: none).</summary>
    public SequenceTensors? Validation { get; } = validation;
    public SequenceDatasetInfo Info { get; } = info;

    /// <summary>
    /// Splits of the dataset at <see cref="SequenceDatasetInfo.DatasetPath"/> that <see cref="LstmTrainer"/> scores into
    /// <c>predictions_&lt;split&gt;.csv</c> when the run completes (empty: none; always none for in-memory data).
    /// </summary>
    public IReadOnlyList<string> PredictionSplits { get; } = predictionSplits ?? [];

    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
    }
}
