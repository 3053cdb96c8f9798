namespace Kairos.Deep.Hybrid;

/// <summary>Architecture of the hybrid model. Defaults are the design notes' scale.</summary>
public sealed record HybridModelOptions
{
    /// <summary>Width of the Transformer sequence encoder. Default 128.</summary>
    public int DModel { get; init; } = 128;
    /// <summary>Attention heads; must divide <see cref="DModel"/>. Default 4.</summary>
    public int Heads { get; init; } = 4;
    /// <summary>Encoder layers. Default 3.</summary>
    public int Layers { get; init; } = 3;
    /// <summary>Feed-forward width inside each encoder layer. Default 512.</summary>
    public int FeedForward { get; init; } = 512;
    /// <summary>Dropout probability everywhere (encoder, attention, snapshot MLP, fusion). Default 0.1.</summary>
    public double Dropout { get; init; } = 0.1;
    /// <summary>Position encoding of the sequence encoder. Default learned.</summary>
    public PositionEncoding Positions { get; init; } = PositionEncoding.Learned;
    /// <summary>Pooling of the encoder output. Default the last (decision) bar.</summary>
    public SequencePooling Pooling { get; init; } = SequencePooling.Last;
    /// <summary>Hidden width of the snapshot MLP. Default 128.</summary>
    public int SnapshotHidden { get; init; } = 128;
    /// <summary>Output width of the snapshot MLP. Default 64.</summary>
    public int SnapshotOut { get; init; } = 64;
    /// <summary>Embedding size of each categorical context feature. Default 8 (5 x 8 = 40).</summary>
    public int ContextEmbedding { get; init; } = 8;
    /// <summary>
    /// Output width of the continuous-context branch (Linear then LayerNorm). Default 8: a LayerNorm over
    /// only two values maps every input to about (+1, -1), so the two inputs are first projected wider.
    /// </summary>
    public int ContextContinuousOut { get; init; } = 8;
    /// <summary>Hidden width of the fusion MLP. Default 128.</summary>
    public int FusionHidden { get; init; } = 128;
    /// <summary>Output width of the fusion MLP, the input of the three heads. Default 64.</summary>
    public int FusionOut { get; init; } = 64;
    /// <summary>Concatenation (default) or gated fusion.</summary>
    public FusionKind Fusion { get; init; } = FusionKind.Concat;

    /// <summary>Every problem with these options (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Positive(string name, int value)
        {
            if (value <= 0) problems.Add($"{name} must be positive (got {value})");
        }
        Positive("d_model", DModel);
        Positive("heads", Heads);
        Positive("layers", Layers);
        Positive("feed_forward", FeedForward);
        Positive("snapshot_hidden", SnapshotHidden);
        Positive("snapshot_out", SnapshotOut);
        Positive("context_embedding", ContextEmbedding);
        Positive("context_continuous_out", ContextContinuousOut);
        Positive("fusion_hidden", FusionHidden);
        Positive("fusion_out", FusionOut);
        if (DModel > 0 && Heads > 0 && DModel % Heads != 0)
            problems.Add($"heads ({Heads}) must divide d_model ({DModel})");
        if (!(Dropout >= 0 && Dropout < 1))
            problems.Add($"dropout must be in [0, 1) (got {Dropout})");
        return problems;
    }
}
