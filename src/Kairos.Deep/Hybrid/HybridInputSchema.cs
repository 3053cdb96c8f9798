namespace Kairos.Deep.Hybrid;

/// <summary>Shapes the hybrid model is built for, taken from the dataset's feature contract.</summary>
/// <param name="SequenceLength">Window length L.</param>
/// <param name="SequenceFeatures">Sequence features per bar.</param>
/// <param name="SnapshotFeatures">Snapshot features at the decision bar.</param>
/// <param name="ContextCardinalities">Number of values of each categorical context feature, in input order.</param>
/// <param name="ContextContinuous">Number of continuous context features.</param>
/// <param name="TreeSignals">Number of tree signals (0: the model has no tree-signal branch).</param>
public sealed record HybridInputSchema(
    int SequenceLength,
    int SequenceFeatures,
    int SnapshotFeatures,
    IReadOnlyList<int> ContextCardinalities,
    int ContextContinuous,
    int TreeSignals)
{
    /// <summary>Every problem with this schema (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (SequenceLength <= 0) problems.Add($"seq_len must be positive (got {SequenceLength})");
        if (SequenceFeatures <= 0) problems.Add($"sequence feature count must be positive (got {SequenceFeatures})");
        if (SnapshotFeatures <= 0) problems.Add($"snapshot feature count must be positive (got {SnapshotFeatures})");
        if (ContextCardinalities.Count == 0) problems.Add("at least one categorical context feature is needed");
        for (var i = 0; i < ContextCardinalities.Count; i++)
            if (ContextCardinalities[i] <= 0) problems.Add($"context feature {i} cardinality must be positive (got {ContextCardinalities[i]})");
        if (ContextContinuous <= 0) problems.Add($"continuous context count must be positive (got {ContextContinuous})");
        if (TreeSignals < 0) problems.Add($"tree signal count must not be negative (got {TreeSignals})");
        return problems;
    }
}
