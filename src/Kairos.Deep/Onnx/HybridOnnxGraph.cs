using Kairos.Deep.Hybrid;
using Kairos.Onnx;
using static TorchSharp.torch;

namespace Kairos.Deep.Onnx;

/// <summary>
/// A trained <see cref="HybridModel"/> as an ONNX graph (opset 17), the eval-mode forward written out op by op with the
/// model's weights as float32 initializers: input projection plus position vectors, post-norm encoder layers
/// (multi-head self-attention, residual, LayerNormalization, ReLU feed-forward), last-position or mean pooling; the
/// snapshot MLP and the fusion MLP with exact (erf) GELU; one embedding table per categorical context column (Gather);
/// the continuous context standardised, projected and LayerNorm'd; the tree signals standardised; gated fusion when the
/// model has it (each branch times the sigmoid of its gate); three heads. Inputs: <c>window</c> float <c>[N, L, S]</c>,
/// <c>snapshot</c> float <c>[N, F]</c>, <c>context_categorical</c> int64 <c>[N, C]</c>, <c>context_continuous</c> float
/// <c>[N, K]</c>, <c>tree_signals</c> float <c>[N, T]</c> (absent when the model has no tree-signal branch), exactly what
/// <c>HybridLatencyModel</c> takes. Outputs (float <c>[N]</c>): <c>p_long</c> and <c>p_early_move</c> (sigmoid of the
/// direction and early-move logits) and <c>quality</c>.
/// </summary>
public static class HybridOnnxGraph
{
    public static byte[] Build(HybridModel model, string producerVersion, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        using var _ = no_grad();
        var schema = model.Schema;
        var o = model.Options;
        var graph = new TorchOnnxGraph("kairos_hybrid", "hybrid model", model.state_dict());
        var g = graph.Builder;
        int l = schema.SequenceLength, s = schema.SequenceFeatures, d = o.DModel, heads = o.Heads, dh = d / heads;
        string Gelu(string x)
        {
            var erf = g.Node("Erf", [g.Node("Mul", [x, g.Scalar("rsqrt2", (float)(1 / Math.Sqrt(2)))])]);
            return g.Node("Mul", [g.Node("Mul", [x, g.Scalar("half", 0.5f)]), g.Node("Add", [erf, g.Scalar("one", 1f)])]);
        }

        var (window, snapshot, categorical, continuous, treeSignals) = graph.Inputs(schema);

        // Sequence encoder.
        var x = graph.Linear(window, "sequence.input", s, d);
        var positions = o.Positions switch
        {
            PositionEncoding.Learned => graph.Get("sequence.position", 1, l, d),
            PositionEncoding.Sinusoidal => graph.Get("sequence.sinusoid", 1, l, d),
            _ => null,
        };
        if (positions is not null) x = g.Node("Add", [x, graph.Const("positions", positions, l, d)]);
        var headShape = g.Int64s("head_shape", 0, 0, heads, dh);
        var mergedShape = g.Int64s("merged_shape", 0, 0, d);
        var split = g.Int64s("qkv_split", d, d, d);
        var scale = g.Scalar("attention_scale", (float)(1.0 / Math.Sqrt(dh)));
        for (var i = 0; i < o.Layers; i++)
        {
            var prefix = $"sequence.layers.{i}.";
            var qkv = graph.Linear(x, prefix + "in_proj", d, 3 * d);
            var parts = g.Node("Split", "", [qkv, split], 3, OnnxAttribute.Int("axis", 2));
            var q = g.Node("Transpose", [g.Node("Reshape", [parts[0], headShape])], OnnxAttribute.Ints("perm", [0, 2, 1, 3]));
            var k = g.Node("Transpose", [g.Node("Reshape", [parts[1], headShape])], OnnxAttribute.Ints("perm", [0, 2, 3, 1]));
            var v = g.Node("Transpose", [g.Node("Reshape", [parts[2], headShape])], OnnxAttribute.Ints("perm", [0, 2, 1, 3]));
            var scores = g.Node("Mul", [g.Node("MatMul", [q, k]), scale]);
            var weights = g.Node("Softmax", [scores], OnnxAttribute.Int("axis", -1));
            var attention = g.Node("Transpose", [g.Node("MatMul", [weights, v])], OnnxAttribute.Ints("perm", [0, 2, 1, 3]));
            var projected = graph.Linear(g.Node("Reshape", [attention, mergedShape]), prefix + "out_proj", d, d);
            var h = graph.LayerNorm(g.Node("Add", [x, projected]), prefix + "norm1", d);
            var ff = graph.Linear(g.Node("Relu", [graph.Linear(h, prefix + "linear1", d, o.FeedForward)]), prefix + "linear2", o.FeedForward, d);
            x = graph.LayerNorm(g.Node("Add", [h, ff]), prefix + "norm2", d);
        }
        var pooled = o.Pooling == SequencePooling.Last
            ? g.Node("Gather", [x, g.ScalarInt64("last_position", l - 1)], OnnxAttribute.Int("axis", 1))
            : g.Node("ReduceMean", [x], OnnxAttribute.Ints("axes", [1]), OnnxAttribute.Int("keepdims", 0));
        var branches = new List<string> { pooled };

        // Snapshot MLP.
        branches.Add(Gelu(graph.Linear(Gelu(graph.Linear(snapshot, "snapshot.hidden", schema.SnapshotFeatures, o.SnapshotHidden)), "snapshot.output", o.SnapshotHidden, o.SnapshotOut)));

        // Categorical context embeddings.
        var embedded = new List<string>();
        for (var i = 0; i < schema.ContextCardinalities.Count; i++)
        {
            var c = schema.ContextCardinalities[i];
            var table = graph.Const($"context_embedding_{i}", graph.Get($"context_embeddings.{i}.weight", c, o.ContextEmbedding), c, o.ContextEmbedding);
            var ids = g.Node("Gather", [categorical, g.ScalarInt64("column", i)], OnnxAttribute.Int("axis", 1));
            embedded.Add(g.Node("Gather", [table, ids], OnnxAttribute.Int("axis", 0)));
        }
        branches.Add(embedded.Count == 1 ? embedded[0] : g.Node("Concat", embedded, OnnxAttribute.Int("axis", 1)));

        // Continuous context: standardised, projected, LayerNorm'd.
        var k2 = schema.ContextContinuous;
        var standardised = graph.Standardise(continuous, "context", k2);
        branches.Add(graph.LayerNorm(graph.Linear(standardised, "context_projection", k2, o.ContextContinuousOut), "context_norm", o.ContextContinuousOut));

        if (treeSignals is not null)
        {
            branches.Add(graph.Standardise(treeSignals, "tree", schema.TreeSignals));
        }

        var widths = model.BranchWidths;
        var fusedWidth = widths.Sum();
        var fused = g.Node("Concat", branches, OnnxAttribute.Int("axis", 1));
        if (o.Fusion == FusionKind.Gated)
        {
            var gates = g.Node("Sigmoid", [graph.Linear(fused, "gate", fusedWidth, widths.Count)]);
            // Each gate spread over its branch's columns by a 0/1 matrix (one 1 per column: the product is the gate exactly).
            var spread = new float[widths.Count * fusedWidth];
            var start = 0;
            for (var b = 0; b < widths.Count; b++)
            {
                for (var c = start; c < start + widths[b]; c++) spread[b * fusedWidth + c] = 1f;
                start += widths[b];
            }
            fused = g.Node("Mul", [fused, g.Node("MatMul", [gates, graph.Const("gate_spread", spread, widths.Count, fusedWidth)])]);
        }
        var z = Gelu(graph.Linear(Gelu(graph.Linear(fused, "fusion.hidden", fusedWidth, o.FusionHidden)), "fusion.output", o.FusionHidden, o.FusionOut));
        graph.Heads(z, o.FusionOut);
        return g.ToModel(producerVersion, "Kairos hybrid model (ENTRY_V10_CTX): Transformer over the window, snapshot MLP, context, tree signals, fused into three heads", metadata);
    }
}
