using Kairos.Deep.Hybrid;
using Kairos.Onnx;
using static TorchSharp.torch;

namespace Kairos.Deep.Onnx;

/// <summary>
/// An <see cref="OnnxGraphBuilder"/> over a trained libtorch module's <c>state_dict</c>: weights read by their parameter
/// names (shape checked) and written as float32 initializers, and the layers every exported model shares as ONNX ops:
/// linear layers (<c>MatMul</c> by the transposed weight, <c>Add</c> of the bias), <c>LayerNormalization</c> (epsilon 1e-5,
/// torch's default), the gated linear unit. Used by <see cref="HybridOnnxGraph"/>, <see cref="TftOnnxGraph"/> and <see cref="LstmOnnxGraph"/>.
/// </summary>
internal sealed class TorchOnnxGraph
{
    /// <summary>torch's <c>LayerNorm</c> default.</summary>
    public const float LayerNormEpsilon = 1e-5f;

    private readonly Dictionary<string, Tensor> _state;
    private readonly string _model;

    public TorchOnnxGraph(string name, string model, Dictionary<string, Tensor> state)
    {
        Builder = new OnnxGraphBuilder(name);
        _model = model;
        _state = state;
    }

    public OnnxGraphBuilder Builder { get; }

    /// <summary>
    /// Declares the inputs every exported deep model takes (<c>HybridLatencyModel</c>'s): <c>window</c> float <c>[N, L, S]</c>,
    /// <c>snapshot</c> float <c>[N, F]</c>, <c>context_categorical</c> int64 <c>[N, C]</c>, <c>context_continuous</c> float
    /// <c>[N, K]</c> and, when the model reads them, <c>tree_signals</c> float <c>[N, T]</c>.
    /// </summary>
    public (string Window, string Snapshot, string Categorical, string Continuous, string? TreeSignals) Inputs(HybridInputSchema schema)
    {
        var g = Builder;
        var window = g.Input("window", OnnxElementType.Float, ["N", schema.SequenceLength, schema.SequenceFeatures], "scaled sequence window, oldest bar first (train scalers)");
        var snapshot = g.Input("snapshot", OnnxElementType.Float, ["N", schema.SnapshotFeatures], "scaled snapshot features of the decision bar");
        var categorical = g.Input("context_categorical", OnnxElementType.Int64, ["N", schema.ContextCardinalities.Count], "categorical context ids");
        var continuous = g.Input("context_continuous", OnnxElementType.Float, ["N", schema.ContextContinuous], "scaled continuous context");
        var treeSignals = schema.TreeSignals > 0
            ? g.Input("tree_signals", OnnxElementType.Float, ["N", schema.TreeSignals], "the trees' calibrated signals in the metadata's order")
            : null;
        return (window, snapshot, categorical, continuous, treeSignals);
    }

    /// <summary>
    /// The three heads (<c>direction_head</c>, <c>early_move_head</c>, <c>quality_head</c>: linear maps of the
    /// <paramref name="width"/>-wide <paramref name="z"/>) as the outputs <c>p_long</c> and <c>p_early_move</c> (sigmoids)
    /// and <c>quality</c>, float <c>[N]</c>.
    /// </summary>
    public void Heads(string z, int width)
    {
        var g = Builder;
        string Head(string name) => Squeeze(Linear(z, name, width, 1), 1);
        g.Output("p_long", g.Node("Sigmoid", [Head("direction_head")]), OnnxElementType.Float, ["N"], "probability of y_direction = 1 (the direction head)");
        g.Output("p_early_move", g.Node("Sigmoid", [Head("early_move_head")]), OnnxElementType.Float, ["N"], "probability of an early move (the early-move head)");
        g.Output("quality", Head("quality_head"), OnnxElementType.Float, ["N"], "predicted entry quality, MFE - MAE in ATR units");
    }

    /// <summary>The parameter or buffer <paramref name="key"/> as float32 values in row-major order; its shape must be <paramref name="shape"/>.</summary>
    public float[] Get(string key, params long[] shape)
    {
        if (!_state.TryGetValue(key, out var t)) throw new InvalidOperationException($"the {_model} has no '{key}'");
        if (!t.shape.SequenceEqual(shape)) throw new InvalidOperationException($"'{key}' has shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", shape)}]");
        using var c = t.detach().cpu().to(ScalarType.Float32).contiguous();
        return c.data<float>().ToArray();
    }

    /// <summary>A float32 constant.</summary>
    public string Const(string hint, float[] values, params long[] shape) => Builder.Constant(hint, n => OnnxTensor.Floats(n, values, shape));

    /// <summary>The parameter <paramref name="key"/> as a constant of its own shape.</summary>
    public string Param(string key, params long[] shape) => Const(Hint(key), Get(key, shape), shape);

    /// <summary><c>y = x W^T (+ b)</c> for a torch <c>Linear</c> of <c>[output, input]</c> weights at <paramref name="prefix"/>.</summary>
    public string Linear(string x, string prefix, int input, int output, bool bias = true)
    {
        var w = Transpose(Get(prefix + ".weight", output, input), output, input);
        var product = Builder.Node("MatMul", [x, Const(Hint(prefix) + "_wt", w, input, output)]);
        return bias ? Builder.Node("Add", [product, Param(prefix + ".bias", output)]) : product;
    }

    /// <summary>torch's <c>LayerNorm</c> at <paramref name="prefix"/> over the last axis.</summary>
    public string LayerNorm(string x, string prefix, int width) =>
        Builder.Node("LayerNormalization", [x, Param(prefix + ".weight", width), Param(prefix + ".bias", width)],
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", LayerNormEpsilon));

    /// <summary>Layer normalisation over the last axis without gain or bias (torch's <c>F.layer_norm(x, [width])</c>).</summary>
    public string PlainLayerNorm(string x, int width) =>
        Builder.Node("LayerNormalization", [x, Const("ones", Enumerable.Repeat(1f, width).ToArray(), width)],
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", LayerNormEpsilon));

    /// <summary><c>(x - {group}_mean) / {group}_std</c> with the model's standardisation buffers (as the model holds them: a zero deviation already replaced by 1).</summary>
    public string Standardise(string x, string group, int width) =>
        Builder.Node("Div", [Builder.Node("Sub", [x, Param(group + "_mean", width)]), Param(group + "_std", width)]);

    /// <summary>torch's <c>F.glu(x, -1)</c>: the first half of the last axis times the sigmoid of the second half.</summary>
    public string Glu(string x, int half)
    {
        var parts = Builder.Node("Split", "", [x, Builder.Int64s("glu_split", half, half)], 2, OnnxAttribute.Int("axis", -1));
        return Builder.Node("Mul", [parts[0], Builder.Node("Sigmoid", [parts[1]])]);
    }

    public string Unsqueeze(string x, params long[] axes) => Builder.Node("Unsqueeze", [x, Builder.Int64s("axes", axes)]);

    public string Squeeze(string x, params long[] axes) => Builder.Node("Squeeze", [x, Builder.Int64s("axes", axes)]);

    public string Reshape(string x, params long[] shape) => Builder.Node("Reshape", [x, Builder.Int64s("shape", shape)]);

    public string Transpose(string x, params long[] perm) => Builder.Node("Transpose", [x], OnnxAttribute.Ints("perm", perm));

    /// <summary>Position <paramref name="index"/> of axis <paramref name="axis"/> (the axis removed).</summary>
    public string Select(string x, int axis, long index) => Builder.Node("Gather", [x, Builder.ScalarInt64("index", index)], OnnxAttribute.Int("axis", axis));

    /// <summary>A row-major <c>[rows, columns]</c> matrix transposed.</summary>
    public static float[] Transpose(float[] weight, int rows, int columns)
    {
        var t = new float[weight.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++) t[c * rows + r] = weight[r * columns + c];
        return t;
    }

    /// <summary>
    /// torch's LSTM gate blocks (i, f, g, o: four blocks of <paramref name="hidden"/> rows of <paramref name="columns"/>
    /// values, as in <c>weight_ih</c>, <c>weight_hh</c>, <c>bias_ih</c>, <c>bias_hh</c>) in ONNX's order (i, o, f, c).
    /// </summary>
    public static float[] LstmGates(float[] torch, int hidden, int columns)
    {
        var block = hidden * columns;
        if (torch.Length != 4 * block) throw new ArgumentException($"{torch.Length} values are not four gate blocks of {hidden} x {columns}", nameof(torch));
        var onnx = new float[torch.Length];
        int[] from = [0, 3, 1, 2];
        for (var k = 0; k < 4; k++) Array.Copy(torch, from[k] * block, onnx, k * block, block);
        return onnx;
    }

    private static string Hint(string key) => key.Replace('.', '_');
}
