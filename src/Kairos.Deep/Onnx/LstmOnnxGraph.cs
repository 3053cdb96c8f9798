using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Onnx;
using static TorchSharp.torch;

namespace Kairos.Deep.Onnx;

/// <summary>
/// A trained <see cref="LstmClassifier"/> as a bundle scores it (<c>LstmBundleModule</c>: behind the hybrid's inputs and
/// heads) as an ONNX graph (opset 17), its eval-mode forward op by op with the weights read by parameter name as float32
/// initializers: <c>Gather</c> of the classifier's columns from the window, the bidirectional multi-layer LSTM as one ONNX
/// <c>LSTM</c> node per layer (<c>direction=bidirectional</c>, time-major through <c>Transpose</c>, zero initial state;
/// torch's gate blocks i, f, g, o reordered to ONNX's i, o, f, c, each direction's two bias vectors concatenated; between
/// layers and after the last the forward and backward outputs concatenated per bar, forward first, as torch does),
/// attention pooling (<c>Softmax</c> over the bars of a linear score, weighted <c>ReduceSum</c>), the head (linear, exact
/// erf GELU as torch's <c>F.gelu</c> computes it, linear to one logit). Same inputs as <see cref="HybridOnnxGraph"/> (the
/// snapshot and context are declared, not read; no tree signals); outputs <c>p_long</c> (sigmoid of the logit) and, as the
/// bundle's libtorch module gives them, <c>p_early_move</c> and <c>quality</c> NaN (the LSTM has no such heads).
/// </summary>
public static class LstmOnnxGraph
{
    /// <param name="classifier">The trained classifier (eval mode, weights loaded).</param>
    /// <param name="encoder">Its encoder's shape.</param>
    /// <param name="headHidden">Width of its head's hidden layer.</param>
    /// <param name="schema">The inputs it is fed: the dataset's window (all its sequence features), snapshot and context.</param>
    /// <param name="columns">The window's column of each of the classifier's features, in its input order.</param>
    /// <param name="producerVersion">Kairos's version, written as the producer's.</param>
    /// <param name="metadata">The model's <c>metadata_props</c>.</param>
    public static byte[] Build(LstmClassifier classifier, BiLstmEncoderOptions encoder, int headHidden, HybridInputSchema schema, IReadOnlyList<long> columns,
        string producerVersion, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(columns.Count, encoder.InputSize);
        if (columns.Any(c => c < 0 || c >= schema.SequenceFeatures))
            throw new ArgumentException($"columns [{string.Join(", ", columns)}] are not all among the window's {schema.SequenceFeatures}", nameof(columns));
        using var _ = no_grad();
        var graph = new TorchOnnxGraph("kairos_lstm", "LSTM classifier", classifier.state_dict());
        var g = graph.Builder;
        int h = encoder.HiddenSize, width = encoder.OutputSize;

        var (window, _, _, _, _) = graph.Inputs(schema);

        // The classifier's columns of the window, time-major for the ONNX op: [N, L, S] -> [L, N, F].
        var picked = g.Node("Gather", [window, g.Int64s("lstm_columns", [.. columns])], OnnxAttribute.Int("axis", 2));
        var sequence = graph.Transpose(picked, 1, 0, 2);
        for (var layer = 0; layer < encoder.Layers; layer++)
        {
            var input = layer == 0 ? encoder.InputSize : width;
            float[] Both(string name, int columnsPerRow, params long[] shape)
            {
                var forward = TorchOnnxGraph.LstmGates(graph.Get($"encoder.lstm.{name}_l{layer}", shape), h, columnsPerRow);
                var backward = TorchOnnxGraph.LstmGates(graph.Get($"encoder.lstm.{name}_l{layer}_reverse", shape), h, columnsPerRow);
                return [.. forward, .. backward];
            }
            var w = Both("weight_ih", input, 4 * h, input);
            var r = Both("weight_hh", h, 4 * h, h);
            // B: per direction [Wb (i, o, f, c), Rb (i, o, f, c)].
            var bih = Both("bias_ih", 1, 4 * h);
            var bhh = Both("bias_hh", 1, 4 * h);
            var b = new float[16 * h];
            for (var d = 0; d < 2; d++)
            {
                Array.Copy(bih, d * 4 * h, b, d * 8 * h, 4 * h);
                Array.Copy(bhh, d * 4 * h, b, d * 8 * h + 4 * h, 4 * h);
            }
            var y = g.Node("LSTM", "", [sequence, graph.Const($"lstm_w{layer}", w, 2, 4 * h, input), graph.Const($"lstm_r{layer}", r, 2, 4 * h, h),
                graph.Const($"lstm_b{layer}", b, 2, 8 * h)], 1, OnnxAttribute.Int("hidden_size", h), OnnxAttribute.String("direction", "bidirectional"))[0];
            // Y [L, 2, N, H] -> [L, N, 2, H] -> [L, N, 2H]: the forward direction's H values, then the backward's.
            sequence = graph.Reshape(graph.Transpose(y, 0, 2, 1, 3), 0, 0, width);
        }
        var encoded = graph.Transpose(sequence, 1, 0, 2);                                            // [N, L, 2H]

        // Attention pooling: softmax over the bars of a linear score, the weighted sum of the encoder outputs.
        var weights = g.Node("Softmax", [graph.Linear(encoded, "pooling.score", width, 1)], OnnxAttribute.Int("axis", 1));   // [N, L, 1]
        var pooled = g.Node("ReduceSum", [g.Node("Mul", [weights, encoded]), g.Int64s("axes", 1)], OnnxAttribute.Int("keepdims", 0));  // [N, 2H]

        // Head: Linear -> GELU (torch's default, exact: 0.5 x (1 + erf(x / sqrt 2))) -> Linear -> one logit.
        var x = graph.Linear(pooled, "hidden", width, headHidden);
        var erf = g.Node("Erf", [g.Node("Mul", [x, g.Scalar("rsqrt2", (float)(1 / Math.Sqrt(2)))])]);
        var gelu = g.Node("Mul", [g.Node("Mul", [x, g.Scalar("half", 0.5f)]), g.Node("Add", [erf, g.Scalar("one", 1f)])]);
        var logit = graph.Squeeze(graph.Linear(gelu, "output", headHidden, 1), 1);                  // [N]

        g.Output("p_long", g.Node("Sigmoid", [logit]), OnnxElementType.Float, ["N"], "probability of y_direction = 1 (the LSTM classifier)");
        var nan = g.Node("ConstantOfShape", [g.Node("Shape", [logit])], OnnxAttribute.Tensor("value", OnnxTensor.Floats("value", [float.NaN], 1)));
        g.Output("p_early_move", g.Node("Identity", [nan]), OnnxElementType.Float, ["N"], "NaN: the LSTM has no early-move head");
        g.Output("quality", g.Node("Identity", [nan]), OnnxElementType.Float, ["N"], "NaN: the LSTM has no quality head");
        return g.ToModel(producerVersion, "Kairos LSTM classifier: the model's columns of the window, bidirectional LSTM, attention pooling, GELU head; no early-move or quality head (NaN)", metadata);
    }
}
