using Kairos.Deep.Hybrid;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Tft;

/// <summary>
/// Temporal Fusion Transformer (Lim et al., 2021) for one decision per window. Static inputs (the snapshot features at
/// the decision bar, the categorical context as embeddings, the standardised continuous context and tree signals)
/// pass a static variable selection network; four static context vectors from gated residual networks steer the
/// sequence variable selection (<c>c_s</c>), initialise the LSTM encoder's hidden and cell state (<c>c_h</c>,
/// <c>c_c</c>) and enrich its output (<c>c_e</c>). The window's variables pass the sequence variable selection network
/// bar by bar, then the LSTM (gate, add and norm), static enrichment, interpretable multi-head attention from the
/// decision bar (gate, add and norm), a position-wise gated residual network and a last gated skip to the LSTM
/// output; three linear heads read that: direction and early move (logits) and quality (regression), as the hybrid's.
/// The TFT's quantile outputs and known-future inputs have no counterpart here (one classification per bar).
/// Weights are initialised from libtorch's global generator (seed it first); dropout draws from the given generator.
/// Field names are the checkpoint keys.
/// </summary>
public sealed class TftModel : nn.Module<HybridBatch, TftOutput>
{
    private readonly ScalarInputs sequence_inputs;
    private readonly ScalarInputs snapshot_inputs;
    private readonly ModuleList<Embedding> context_embeddings;
    private readonly ScalarInputs context_inputs;
    private readonly ScalarInputs? tree_inputs;
    private readonly VariableSelectionNetwork static_selection;
    private readonly GatedResidualNetwork context_selection;
    private readonly GatedResidualNetwork context_enrichment;
    private readonly GatedResidualNetwork context_hidden;
    private readonly GatedResidualNetwork context_cell;
    private readonly VariableSelectionNetwork sequence_selection;
    private readonly LSTM lstm;
    private readonly GateAddNorm lstm_gate;
    private readonly GatedResidualNetwork enrichment;
    private readonly InterpretableAttention attention;
    private readonly GateAddNorm attention_gate;
    private readonly GatedResidualNetwork position_wise;
    private readonly GateAddNorm output_gate;
    private readonly Linear direction_head;
    private readonly Linear early_move_head;
    private readonly Linear quality_head;
    private readonly Tensor context_mean;
    private readonly Tensor context_std;
    private readonly Tensor tree_mean;
    private readonly Tensor tree_std;

    public TftModel(HybridInputSchema schema, TftModelOptions options, InputStandardization standardization, Generator dropoutGenerator)
        : base(nameof(TftModel))
    {
        Schema = schema;
        Options = options;
        var d = options.Hidden;
        var p = options.Dropout;
        var g = dropoutGenerator;
        StaticVariableCount = schema.SnapshotFeatures + schema.ContextCardinalities.Count + schema.ContextContinuous + schema.TreeSignals;
        sequence_inputs = new ScalarInputs(schema.SequenceFeatures, d);
        snapshot_inputs = new ScalarInputs(schema.SnapshotFeatures, d);
        context_embeddings = new ModuleList<Embedding>(schema.ContextCardinalities.Select(c => nn.Embedding(c, d)).ToArray());
        context_inputs = new ScalarInputs(schema.ContextContinuous, d);
        tree_inputs = schema.TreeSignals > 0 ? new ScalarInputs(schema.TreeSignals, d) : null;
        static_selection = new VariableSelectionNetwork(StaticVariableCount, d, 0, p, g);
        context_selection = new GatedResidualNetwork(d, d, d, 0, p, g);
        context_enrichment = new GatedResidualNetwork(d, d, d, 0, p, g);
        context_hidden = new GatedResidualNetwork(d, d, d, 0, p, g);
        context_cell = new GatedResidualNetwork(d, d, d, 0, p, g);
        sequence_selection = new VariableSelectionNetwork(schema.SequenceFeatures, d, d, p, g);
        lstm = nn.LSTM(d, d, numLayers: options.LstmLayers, batchFirst: true);
        lstm_gate = new GateAddNorm(d, d, p, g);
        enrichment = new GatedResidualNetwork(d, d, d, d, p, g);
        attention = new InterpretableAttention(d, options.Heads);
        attention_gate = new GateAddNorm(d, d, p, g);
        position_wise = new GatedResidualNetwork(d, d, d, 0, p, g);
        output_gate = new GateAddNorm(d, d, p, g);
        direction_head = nn.Linear(d, 1);
        early_move_head = nn.Linear(d, 1);
        quality_head = nn.Linear(d, 1);
        (context_mean, context_std, tree_mean, tree_std) = standardization.Buffers(schema);
        RegisterComponents();
    }

    public HybridInputSchema Schema { get; }
    public TftModelOptions Options { get; }

    /// <summary>Number of static variables: snapshot features, categorical context, continuous context, tree signals.</summary>
    public int StaticVariableCount { get; }

    /// <summary>Static variable names in the order of <see cref="TftOutput.StaticWeights"/>.</summary>
    public static IReadOnlyList<string> StaticVariables(IReadOnlyList<string> snapshot, IReadOnlyList<string> contextCategorical,
        IReadOnlyList<string> contextContinuous, IReadOnlyList<string> treeSignals) =>
        [.. snapshot, .. contextCategorical, .. contextContinuous, .. treeSignals];

    public override TftOutput forward(HybridBatch batch)
    {
        var b = batch.Sequence.shape[0];
        var l = Schema.SequenceLength;
        var s = Schema.SequenceFeatures;
        var d = Options.Hidden;

        var statics = new List<Tensor>(4) { snapshot_inputs.forward(batch.Snapshot) };
        var embedded = new Tensor[context_embeddings.Count];
        for (var i = 0; i < embedded.Length; i++)
            embedded[i] = context_embeddings[i].forward(batch.ContextCategorical.select(1, i));
        statics.Add(stack(embedded, 1));
        statics.Add(context_inputs.forward((batch.ContextContinuous - context_mean) / context_std));
        if (tree_inputs is not null)
        {
            if (batch.TreeSignals is null)
                throw new ArgumentException("this model reads tree signals but the batch carries none", nameof(batch));
            statics.Add(tree_inputs.forward((batch.TreeSignals - tree_mean) / tree_std));
        }
        var (staticVector, staticWeights) = static_selection.forward(cat(statics, 1), null);
        var cs = context_selection.forward(staticVector, null);
        var ce = context_enrichment.forward(staticVector, null);
        var ch = context_hidden.forward(staticVector, null);
        var cc = context_cell.forward(staticVector, null);

        var xi = sequence_inputs.forward(batch.Sequence).reshape(b * l, s, d);
        var context = cs.unsqueeze(1).expand(b, l, d).reshape(b * l, d);
        var (selected, sequenceWeights) = sequence_selection.forward(xi, context);
        var inputs = selected.reshape(b, l, d);

        var layers = Options.LstmLayers;
        var h0 = ch.unsqueeze(0).expand(layers, b, d).contiguous();
        var c0 = cc.unsqueeze(0).expand(layers, b, d).contiguous();
        var (encoded, _, _) = lstm.forward(inputs, (h0, c0));
        var temporal = lstm_gate.forward(encoded, inputs);                         // phi~ [B, L, d]
        var enriched = enrichment.forward(temporal, ce.unsqueeze(1));             // theta [B, L, d]
        var (attended, weights) = attention.forward(enriched);
        var decision = attention_gate.forward(attended, enriched.select(1, -1));  // delta at the decision bar
        var z = output_gate.forward(position_wise.forward(decision, null), temporal.select(1, -1));

        return new TftOutput(
            new HybridOutput(direction_head.forward(z).squeeze(-1), early_move_head.forward(z).squeeze(-1), quality_head.forward(z).squeeze(-1), null),
            sequenceWeights.reshape(b, l, s), staticWeights, weights);
    }
}
