using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// ENTRY_V10_CTX: Transformer over the sequence window, MLP over the snapshot, embeddings of the categorical
/// context (5 x 8), LayerNorm'd projection of the continuous context, the standardised tree signals; the
/// branch vectors are concatenated (optionally gated) into a fusion MLP feeding three heads: direction and
/// early move (logits) and quality (regression). Field names are the checkpoint keys.
/// </summary>
public sealed class HybridModel : nn.Module<HybridBatch, HybridOutput>
{
    private readonly SequenceEncoder sequence;
    private readonly TwoLayerMlp snapshot;
    private readonly ModuleList<Embedding> context_embeddings;
    private readonly Linear context_projection;
    private readonly LayerNorm context_norm;
    private readonly Linear? gate;
    private readonly TwoLayerMlp fusion;
    private readonly Linear direction_head;
    private readonly Linear early_move_head;
    private readonly Linear quality_head;
    private readonly Tensor context_mean;
    private readonly Tensor context_std;
    private readonly Tensor tree_mean;
    private readonly Tensor tree_std;

    /// <summary>
    /// Builds the model. Weights are initialised from libtorch's global generator (seed it first);
    /// dropout draws from <paramref name="dropoutGenerator"/>.
    /// </summary>
    public HybridModel(HybridInputSchema schema, HybridModelOptions options, InputStandardization standardization, Generator dropoutGenerator)
        : base(nameof(HybridModel))
    {
        Schema = schema;
        Options = options;
        sequence = new SequenceEncoder(schema.SequenceLength, schema.SequenceFeatures, options, dropoutGenerator);
        snapshot = new TwoLayerMlp(schema.SnapshotFeatures, options.SnapshotHidden, options.SnapshotOut, options.Dropout, dropoutGenerator);
        context_embeddings = new ModuleList<Embedding>(schema.ContextCardinalities.Select(c => nn.Embedding(c, options.ContextEmbedding)).ToArray());
        context_projection = nn.Linear(schema.ContextContinuous, options.ContextContinuousOut);
        context_norm = nn.LayerNorm(options.ContextContinuousOut);
        BranchWidths = new[]
        {
            options.DModel, options.SnapshotOut, schema.ContextCardinalities.Count * options.ContextEmbedding,
            options.ContextContinuousOut, schema.TreeSignals,
        }.Where(w => w > 0).ToArray();
        var fusedWidth = BranchWidths.Sum();
        if (options.Fusion == FusionKind.Gated)
            gate = nn.Linear(fusedWidth, BranchWidths.Count);
        fusion = new TwoLayerMlp(fusedWidth, options.FusionHidden, options.FusionOut, options.Dropout, dropoutGenerator);
        direction_head = nn.Linear(options.FusionOut, 1);
        early_move_head = nn.Linear(options.FusionOut, 1);
        quality_head = nn.Linear(options.FusionOut, 1);
        (context_mean, context_std, tree_mean, tree_std) = standardization.Buffers(schema);
        RegisterComponents();
    }

    public HybridInputSchema Schema { get; }
    public HybridModelOptions Options { get; }

    /// <summary>Widths of the fused branches in order: sequence, snapshot, categorical context, continuous context, tree signals (when present).</summary>
    public IReadOnlyList<int> BranchWidths { get; }

    /// <summary>Names of the fused branches, in the order of <see cref="BranchWidths"/> and of the gates.</summary>
    public IReadOnlyList<string> BranchNames => Schema.TreeSignals > 0
        ? ["sequence", "snapshot", "context_categorical", "context_continuous", "tree_signals"]
        : ["sequence", "snapshot", "context_categorical", "context_continuous"];

    public override HybridOutput forward(HybridBatch batch)
    {
        var branches = new List<Tensor>(5)
        {
            sequence.forward(batch.Sequence),
            snapshot.forward(batch.Snapshot),
        };
        var embedded = new Tensor[context_embeddings.Count];
        for (var i = 0; i < embedded.Length; i++)
            embedded[i] = context_embeddings[i].forward(batch.ContextCategorical.select(1, i));
        branches.Add(cat(embedded, 1));
        branches.Add(context_norm.forward(context_projection.forward((batch.ContextContinuous - context_mean) / context_std)));
        if (Schema.TreeSignals > 0)
        {
            if (batch.TreeSignals is null)
                throw new ArgumentException("this model has a tree-signal branch but the batch carries no tree signals", nameof(batch));
            branches.Add((batch.TreeSignals - tree_mean) / tree_std);
        }

        Tensor? gates = null;
        if (gate is not null)
        {
            gates = F.sigmoid(gate.forward(cat(branches, 1)));
            for (var i = 0; i < branches.Count; i++)
                branches[i] = branches[i] * gates.narrow(1, i, 1);
        }
        var z = fusion.forward(cat(branches, 1));
        return new HybridOutput(
            direction_head.forward(z).squeeze(-1),
            early_move_head.forward(z).squeeze(-1),
            quality_head.forward(z).squeeze(-1),
            gates);
    }
}
