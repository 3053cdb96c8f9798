namespace Kairos.Deep.Hybrid;

/// <summary>Training and validation splits as tensors, with what is known about their dataset. Owns the tensors.</summary>
public sealed class HybridTrainingData(HybridTensors train, HybridTensors? validation, HybridDatasetInfo info) : IDisposable
{
    public HybridTensors Train { get; } = train;
    /// <summary>Validation split for early stopping and per-epoch validation loss (null: none).</summary>
    public HybridTensors? Validation { get; } = validation;
    public HybridDatasetInfo Info { get; } = info;

    public HybridInputSchema Schema => Train.Schema(Info.ContextCardinalities);

    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
    }
}
