using Kairos.Settings;

namespace Kairos.Deep.Hybrid;

/// <summary>Architecture of the hybrid model. Defaults are the design notes' scale.</summary>
public sealed record HybridModelOptions
{
    /// <summary>The architecture settings of <c>kairos train hybrid</c> and the run config's <c>hybrid:</c> section, defined once.</summary>
    public static class Settings
    {
        public static readonly IntSetting DModel = new("d_model", 128, 1, 4096, "Transformer width.");
        public static readonly IntSetting Heads = new("heads", 4, 1, 256, "Attention heads, must divide d_model.");
        public static readonly IntSetting Layers = new("layers", 3, 1, 64, "Encoder layers.");
        public static readonly IntSetting FeedForward = new("feed_forward", 512, 1, 65_536, "Encoder feed-forward width.");
        public static readonly DoubleSetting Dropout = new("dropout", 0.1, 0, 1, "Dropout everywhere (encoder, attention, snapshot MLP, fusion).", MaxExclusive: true);
    }

    /// <summary>Width of the Transformer sequence encoder (<see cref="Settings.DModel"/>).</summary>
    public int DModel { get; init; } = Settings.DModel.Default;
    /// <summary>Attention heads; must divide <see cref="DModel"/> (<see cref="Settings.Heads"/>).</summary>
    public int Heads { get; init; } = Settings.Heads.Default;
    /// <summary>Encoder layers (<see cref="Settings.Layers"/>).</summary>
    public int Layers { get; init; } = Settings.Layers.Default;
    /// <summary>Feed-forward width inside each encoder layer (<see cref="Settings.FeedForward"/>).</summary>
    public int FeedForward { get; init; } = Settings.FeedForward.Default;
    /// <summary>Dropout probability everywhere: encoder, attention, snapshot MLP, fusion (<see cref="Settings.Dropout"/>).</summary>
    public double Dropout { get; init; } = Settings.Dropout.Default;
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
        var problems = new[] { Settings.DModel.Problem(DModel), Settings.Heads.Problem(Heads), Settings.Layers.Problem(Layers), Settings.FeedForward.Problem(FeedForward) }
            .OfType<string>().ToList();
        void Positive(string name, int value)
        {
            if (value <= 0) problems.Add($"{name} must be positive (got {value})");
        }
        Positive("snapshot_hidden", SnapshotHidden);
        Positive("snapshot_out", SnapshotOut);
        Positive("context_embedding", ContextEmbedding);
        Positive("context_continuous_out", ContextContinuousOut);
        Positive("fusion_hidden", FusionHidden);
        Positive("fusion_out", FusionOut);
        if (DModel > 0 && Heads > 0 && DModel % Heads != 0)
            problems.Add($"heads ({Heads}) must divide d_model ({DModel})");
        if (Settings.Dropout.Problem(Dropout) is { } dropout) problems.Add(dropout);
        return problems;
    }
}
