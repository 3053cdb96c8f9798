using Kairos.Deep.Tft;
using Kairos.Onnx;
using static TorchSharp.torch;

namespace Kairos.Deep.Onnx;

/// <summary>
/// A trained <see cref="TftModel"/> as an ONNX graph (opset 17): its eval-mode forward op by op, the weights read by their
/// parameter names as float32 initializers. Static variables (snapshot features, one embedding <c>Gather</c> per
/// categorical context column, the standardised continuous context and tree signals) each become a <c>d</c>-wide vector
/// through their own weights; the static variable selection network (a gated residual network over all of them
/// flattened, <c>Softmax</c> weights, one gated residual network per variable as batched <c>MatMul</c>s) gives the static
/// vector; four context GRNs give <c>c_s</c>, <c>c_e</c>, <c>c_h</c>, <c>c_c</c>. The window's variables pass the sequence
/// variable selection network bar by bar (context <c>c_s</c>), then the ONNX <c>LSTM</c> op (one per layer, initial hidden
/// and cell state <c>c_h</c>, <c>c_c</c>; torch's gate blocks i, f, g, o reordered to ONNX's i, o, f, c and its two bias
/// vectors concatenated), gate/add/norm (GLU, residual, <c>LayerNormalization</c>), static enrichment with <c>c_e</c>,
/// interpretable multi-head attention from the decision bar (per-head query and key, one shared value projection, the
/// heads' softmax weights averaged), gate/add/norm, the position-wise GRN, the last gated skip to the LSTM output and
/// the three heads. Same inputs as <see cref="HybridOnnxGraph"/> (<c>tree_signals</c> only when the model reads them);
/// outputs <c>p_long</c>, <c>p_early_move</c>, <c>quality</c> (float <c>[N]</c>) as the hybrid's, and what the TFT
/// attends to: <c>static_weights</c> <c>[N, V]</c>, <c>sequence_weights</c> <c>[N, L, S]</c>, <c>attention</c> <c>[N, L]</c>
/// (the decision bar's head-averaged attention over the window, index L-1 the decision bar).
/// </summary>
public static class TftOnnxGraph
{
    public static byte[] Build(TftModel model, string producerVersion, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        using var _ = no_grad();
        var schema = model.Schema;
        var o = model.Options;
        var graph = new TorchOnnxGraph("kairos_tft", "TFT", model.state_dict());
        var g = graph.Builder;
        int l = schema.SequenceLength, s = schema.SequenceFeatures, d = o.Hidden, heads = o.Heads, dk = d / heads;
        var v = model.StaticVariableCount;

        var (window, snapshot, categorical, continuous, treeSignals) = graph.Inputs(schema);

        // Each real-valued variable through its own linear map: [..., V] -> [..., V, d].
        string ScalarInputs(string x, string prefix, int variables) =>
            g.Node("Add", [g.Node("Mul", [graph.Unsqueeze(x, -1), graph.Param(prefix + ".weight", variables, d)]), graph.Param(prefix + ".bias", variables, d)]);

        // Gated residual network: LayerNorm(skip(a) + GLU(W1 ELU(W2 a + W3 c + b2) + b1)).
        string Grn(string a, string prefix, int input, int output, string? context = null)
        {
            var eta2 = graph.Linear(a, prefix + ".input", input, d);
            if (context is not null) eta2 = g.Node("Add", [eta2, graph.Linear(context, prefix + ".context", d, d, bias: false)]);
            var eta1 = graph.Linear(g.Node("Elu", [eta2], OnnxAttribute.Float("alpha", 1f)), prefix + ".hidden", d, d);
            return GateAddNorm(eta1, input == output ? a : graph.Linear(a, prefix + ".skip", input, output), prefix + ".gate", d, output);
        }

        string GateAddNorm(string x, string residual, string prefix, int input, int output) =>
            graph.LayerNorm(g.Node("Add", [residual, graph.Glu(graph.Linear(x, prefix + ".glu", input, 2 * output), output)]), prefix + ".norm", output);

        // Variable selection: softmax weights over the V variables from a GRN of them flattened, applied to each variable's
        // own GRN. xi [M, V, d], context [M, d] or null; returns the selected [M, d] and the weights [M, V].
        (string Selected, string Weights) Select(string xi, string prefix, int count, string? context)
        {
            var weights = g.Node("Softmax", [Grn(graph.Reshape(xi, -1, count * d), prefix + ".flat", count * d, count, context)], OnnxAttribute.Int("axis", -1));
            var p = prefix + ".variables.";
            var x = graph.Transpose(xi, 1, 0, 2);                                                    // [V, M, d]
            string Batched(string input, string name, int width) =>
                g.Node("Add", [g.Node("MatMul", [input, graph.Param(p + name + "_weight", count, d, width)]), graph.Param(p + name + "_bias", count, 1, width)]);
            var eta2 = Batched(x, "input", d);
            var eta1 = Batched(g.Node("Elu", [eta2], OnnxAttribute.Float("alpha", 1f)), "hidden", d);
            var gated = graph.Glu(Batched(eta1, "glu", 2 * d), d);
            var normed = g.Node("Add", [g.Node("Mul", [graph.PlainLayerNorm(g.Node("Add", [x, gated]), d), graph.Param(p + "norm_weight", count, 1, d)]),
                graph.Param(p + "norm_bias", count, 1, d)]);
            var weighted = g.Node("Mul", [graph.Transpose(normed, 1, 0, 2), graph.Unsqueeze(weights, -1)]);
            return (g.Node("ReduceSum", [weighted, g.Int64s("axes", 1)], OnnxAttribute.Int("keepdims", 0)), weights);
        }

        // Static variables: snapshot, categorical context (embeddings), continuous context, tree signals -> [N, V, d].
        var statics = new List<string> { ScalarInputs(snapshot, "snapshot_inputs", schema.SnapshotFeatures) };
        for (var i = 0; i < schema.ContextCardinalities.Count; i++)
        {
            var ids = graph.Select(categorical, 1, i);
            var table = graph.Param($"context_embeddings.{i}.weight", schema.ContextCardinalities[i], d);
            statics.Add(graph.Unsqueeze(g.Node("Gather", [table, ids], OnnxAttribute.Int("axis", 0)), 1));
        }
        statics.Add(ScalarInputs(graph.Standardise(continuous, "context", schema.ContextContinuous), "context_inputs", schema.ContextContinuous));
        if (treeSignals is not null)
            statics.Add(ScalarInputs(graph.Standardise(treeSignals, "tree", schema.TreeSignals), "tree_inputs", schema.TreeSignals));
        var (staticVector, staticWeights) = Select(g.Node("Concat", statics, OnnxAttribute.Int("axis", 1)), "static_selection", v, null);
        var cs = Grn(staticVector, "context_selection", d, d);
        var ce = Grn(staticVector, "context_enrichment", d, d);
        var ch = Grn(staticVector, "context_hidden", d, d);
        var cc = Grn(staticVector, "context_cell", d, d);

        // Sequence variables, bar by bar: [N, L, S] -> [N*L, S, d], c_s repeated over the L bars.
        var xi = graph.Reshape(ScalarInputs(window, "sequence_inputs", s), -1, s, d);
        var context = graph.Reshape(g.Node("Expand", [graph.Unsqueeze(cs, 1), g.Int64s("repeat", 1, l, 1)]), -1, d);
        var (selected, sequenceWeights) = Select(xi, "sequence_selection", s, context);
        var inputs = graph.Reshape(selected, -1, l, d);                                            // [N, L, d]

        // LSTM encoder (time-major for the ONNX op), every layer starting from (c_h, c_c).
        var h0 = graph.Unsqueeze(ch, 0);
        var c0 = graph.Unsqueeze(cc, 0);
        var sequence = graph.Transpose(inputs, 1, 0, 2);                                             // [L, N, d]
        for (var layer = 0; layer < o.LstmLayers; layer++)
        {
            var w = TorchOnnxGraph.LstmGates(graph.Get($"lstm.weight_ih_l{layer}", 4 * d, d), d, d);
            var r = TorchOnnxGraph.LstmGates(graph.Get($"lstm.weight_hh_l{layer}", 4 * d, d), d, d);
            var b = TorchOnnxGraph.LstmGates(graph.Get($"lstm.bias_ih_l{layer}", 4 * d), d, 1).Concat(TorchOnnxGraph.LstmGates(graph.Get($"lstm.bias_hh_l{layer}", 4 * d), d, 1)).ToArray();
            var y = g.Node("LSTM", "", [sequence, graph.Const($"lstm_w{layer}", w, 1, 4 * d, d), graph.Const($"lstm_r{layer}", r, 1, 4 * d, d),
                graph.Const($"lstm_b{layer}", b, 1, 8 * d), "", h0, c0], 1, OnnxAttribute.Int("hidden_size", d))[0];
            sequence = graph.Squeeze(y, 1);                                                         // [L, 1, N, d] -> [L, N, d]
        }
        var encoded = graph.Transpose(sequence, 1, 0, 2);                                           // [N, L, d]
        var temporal = GateAddNorm(encoded, inputs, "lstm_gate", d, d);
        var enriched = Grn(temporal, "enrichment", d, d, graph.Unsqueeze(ce, 1));

        // Interpretable multi-head attention from the decision bar.
        var query = graph.Reshape(graph.Linear(graph.Select(enriched, 1, l - 1), "attention.query", d, d), -1, heads, 1, dk);       // [N, H, 1, dk]
        var key = graph.Transpose(graph.Reshape(graph.Linear(enriched, "attention.key", d, d), 0, 0, heads, dk), 0, 2, 3, 1);  // [N, H, dk, L]
        var scores = g.Node("Div", [graph.Squeeze(g.Node("MatMul", [query, key]), 2), g.Scalar("sqrt_dk", (float)Math.Sqrt(dk))]);
        var attention = g.Node("ReduceMean", [g.Node("Softmax", [scores], OnnxAttribute.Int("axis", -1))], OnnxAttribute.Ints("axes", [1]), OnnxAttribute.Int("keepdims", 0));
        var values = graph.Linear(enriched, "attention.value", d, dk);                              // [N, L, dk]
        var attended = graph.Linear(graph.Squeeze(g.Node("MatMul", [graph.Unsqueeze(attention, 1), values]), 1), "attention.output", dk, d);
        var decision = GateAddNorm(attended, graph.Select(enriched, 1, l - 1), "attention_gate", d, d);
        var z = GateAddNorm(Grn(decision, "position_wise", d, d), graph.Select(temporal, 1, l - 1), "output_gate", d, d);

        graph.Heads(z, d);
        g.Output("static_weights", staticWeights, OnnxElementType.Float, ["N", v], "static variable-selection weights (kairos.static_variables order), summing to 1");
        g.Output("sequence_weights", graph.Reshape(sequenceWeights, -1, l, s), OnnxElementType.Float, ["N", l, s], "sequence variable-selection weights per bar, summing to 1 over the variables");
        g.Output("attention", attention, OnnxElementType.Float, ["N", l], "the decision bar's head-averaged attention over the window (index L-1 the decision bar)");
        return g.ToModel(producerVersion, "Kairos Temporal Fusion Transformer: static and sequence variable selection, LSTM encoder, static enrichment, interpretable attention from the decision bar, three heads", metadata);
    }
}
