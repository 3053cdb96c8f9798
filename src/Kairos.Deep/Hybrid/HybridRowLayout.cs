namespace Kairos.Deep.Hybrid;

/// <summary>
/// The shapes of the hybrid's inputs and the byte layout of one sample's record in a <see cref="HybridDiskCache"/>
/// (little-endian): <c>seq_row</c> int64, then <paramref name="Categorical"/> int32 ids, then float32 values: the
/// scaled snapshot (<paramref name="Snapshot"/>), the continuous context (<paramref name="ContextContinuous"/>), the
/// tree signals (<paramref name="TreeSignals"/>) and the three labels (direction, early move, quality).
/// </summary>
public sealed record HybridRowLayout(int SequenceLength, int SequenceFeatures, int Snapshot, int Categorical, int ContextContinuous, int TreeSignals)
{
    public int CategoricalOffset => sizeof(long);
    public int FloatOffset => CategoricalOffset + Categorical * sizeof(int);
    public int Floats => Snapshot + ContextContinuous + TreeSignals + 3;
    public int RecordBytes => FloatOffset + Floats * sizeof(float);
    /// <summary>Bytes of one sample's window in the sequence cache.</summary>
    public int WindowBytes => SequenceLength * SequenceFeatures * sizeof(float);

    /// <summary>Bytes the <c>memory</c> source holds per sample (window, snapshot, context ids as int64, floats).</summary>
    public long MemoryBytesPerSample => (long)SequenceLength * SequenceFeatures * sizeof(float) + (long)Categorical * sizeof(long) + (long)Floats * sizeof(float);
}
