using System.Runtime.CompilerServices;
using Kairos.Deep.Hybrid;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid.Inference;

/// <summary>
/// The direction logit of a trained <see cref="HybridModel"/> for one bar, computed in managed code from a copy of
/// the model's weights: no libtorch call, no allocation and no tensor per bar. It is the same function as the
/// model's eval-mode forward (tested against it to float32 rounding) evaluated with less work:
/// <list type="bullet">
/// <item>the first encoder layer's query/key/value projection is folded into the input projection (no nonlinearity
/// lies between them), so it multiplies the narrow feature window instead of the <c>d_model</c>-wide embedding;</item>
/// <item>with last-position pooling the final layer never forms keys and values for every position: the query is
/// pulled back through the key weights (<c>q . (W_k x + b_k) = (W_k^T q) . x + q . b_k</c>) and the value projection is
/// applied once to the attention-weighted input (<c>sum_j p_j (W_v x_j + b_v) = W_v sum_j p_j x_j + b_v</c>);</item>
/// <item>only the direction head is evaluated (the early-move and quality heads do not feed <c>p_long</c>).</item>
/// </list>
/// The matrix products run on 512-bit, 256-bit or scalar code (<see cref="DenseKernels.BestWidth"/>). Not thread-safe:
/// one instance per scoring thread.
/// </summary>
internal sealed class HybridForwardKernel
{
    private const double LayerNormEps = 1e-5;

    private readonly int _width;
    private readonly int _l, _s, _d, _heads, _dh, _ff;
    private readonly bool _lastPooling;
    private readonly float _scale;

    private readonly float[] _inputT;        // [S, D]
    private readonly float[] _inputBias;     // [L, D]: input bias + position vector of each position
    private readonly float[] _firstQkvT;     // [S, 3D]: input projection folded into layer 0's qkv projection
    private readonly float[] _firstQkvBias;  // [L, 3D]
    private readonly EncoderWeights[] _layers;

    private readonly Linear _snapshotHidden, _snapshotOut, _contextProjection, _fusionHidden, _fusionOut;
    private readonly Linear? _gate;
    private readonly float[][] _embeddings;
    private readonly int[] _cardinalities;
    private readonly int _embeddingWidth;
    private readonly float[] _contextNormWeight, _contextNormBias, _contextMean, _contextStd, _treeMean, _treeStd;
    private readonly float[] _direction, _earlyMove, _quality;
    private readonly float _directionBias, _earlyMoveBias, _qualityBias;
    private readonly int[] _branchWidths;

    // Scratch, reused by every call.
    private readonly float[] _x, _qkv, _attention, _projected, _hidden, _scores, _query, _pulledBack, _pooled, _vector;
    private readonly float[] _snapshot1, _snapshot2, _context, _contextOut, _fused, _gates, _fusion1, _fusion2;

    private HybridForwardKernel(HybridModel model, int width)
    {
        _width = width;
        var schema = model.Schema;
        var o = model.Options;
        _l = schema.SequenceLength;
        _s = schema.SequenceFeatures;
        _d = o.DModel;
        _heads = o.Heads;
        _dh = _d / _heads;
        _ff = o.FeedForward;
        _lastPooling = o.Pooling == SequencePooling.Last;
        _scale = (float)(1.0 / Math.Sqrt(_dh));

        var state = model.state_dict();
        float[] Get(string key, params long[] shape)
        {
            if (!state.TryGetValue(key, out var t)) throw new InvalidOperationException($"the hybrid model has no '{key}'");
            if (!t.shape.SequenceEqual(shape)) throw new InvalidOperationException($"'{key}' has shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", shape)}]");
            using var c = t.detach().cpu().to(ScalarType.Float32).contiguous();
            return c.data<float>().ToArray();
        }
        Linear GetLinear(string prefix, int input, int output) =>
            new(Transpose(Get(prefix + ".weight", output, input), output, input), Get(prefix + ".bias", output), input, output);

        var input = GetLinear("sequence.input", _s, _d);
        _inputT = input.WeightT;
        var positions = o.Positions switch
        {
            PositionEncoding.Learned => Get("sequence.position", 1, _l, _d),
            PositionEncoding.Sinusoidal => Get("sequence.sinusoid", 1, _l, _d),
            _ => new float[_l * _d],
        };
        _inputBias = new float[_l * _d];
        for (var p = 0; p < _l; p++)
            for (var i = 0; i < _d; i++) _inputBias[p * _d + i] = input.Bias[i] + positions[p * _d + i];

        _layers = new EncoderWeights[o.Layers];
        for (var i = 0; i < o.Layers; i++)
        {
            var prefix = $"sequence.layers.{i}.";
            var inProj = Get(prefix + "in_proj.weight", 3 * _d, _d);
            _layers[i] = new EncoderWeights(
                Transpose(inProj, 3 * _d, _d), Get(prefix + "in_proj.bias", 3 * _d), inProj.AsSpan(_d * _d, _d * _d).ToArray(),
                GetLinear(prefix + "out_proj", _d, _d), GetLinear(prefix + "linear1", _d, _ff), GetLinear(prefix + "linear2", _ff, _d),
                Get(prefix + "norm1.weight", _d), Get(prefix + "norm1.bias", _d), Get(prefix + "norm2.weight", _d), Get(prefix + "norm2.bias", _d));
        }
        (_firstQkvT, _firstQkvBias) = FoldInputIntoFirstLayer(_layers[0]);

        _snapshotHidden = GetLinear("snapshot.hidden", schema.SnapshotFeatures, o.SnapshotHidden);
        _snapshotOut = GetLinear("snapshot.output", o.SnapshotHidden, o.SnapshotOut);
        _cardinalities = schema.ContextCardinalities.ToArray();
        _embeddingWidth = o.ContextEmbedding;
        _embeddings = _cardinalities.Select((c, i) => Get($"context_embeddings.{i}.weight", c, _embeddingWidth)).ToArray();
        _contextProjection = GetLinear("context_projection", schema.ContextContinuous, o.ContextContinuousOut);
        _contextNormWeight = Get("context_norm.weight", o.ContextContinuousOut);
        _contextNormBias = Get("context_norm.bias", o.ContextContinuousOut);
        _contextMean = Get("context_mean", schema.ContextContinuous);
        _contextStd = Get("context_std", schema.ContextContinuous);
        _treeMean = Get("tree_mean", schema.TreeSignals);
        _treeStd = Get("tree_std", schema.TreeSignals);
        _branchWidths = model.BranchWidths.ToArray();
        var fusedWidth = _branchWidths.Sum();
        if (o.Fusion == FusionKind.Gated) _gate = GetLinear("gate", fusedWidth, _branchWidths.Length);
        _fusionHidden = GetLinear("fusion.hidden", fusedWidth, o.FusionHidden);
        _fusionOut = GetLinear("fusion.output", o.FusionHidden, o.FusionOut);
        _direction = Get("direction_head.weight", 1, o.FusionOut);
        _directionBias = Get("direction_head.bias", 1)[0];
        _earlyMove = Get("early_move_head.weight", 1, o.FusionOut);
        _earlyMoveBias = Get("early_move_head.bias", 1)[0];
        _quality = Get("quality_head.weight", 1, o.FusionOut);
        _qualityBias = Get("quality_head.bias", 1)[0];

        _x = new float[_l * _d];
        _qkv = new float[_l * 3 * _d];
        _attention = new float[_l * _d];
        _projected = new float[_l * _d];
        _hidden = new float[_l * _ff];
        _scores = new float[_l];
        _query = new float[_d];
        _pulledBack = new float[_d];
        _pooled = new float[_d];
        _vector = new float[_d];
        _snapshot1 = new float[o.SnapshotHidden];
        _snapshot2 = new float[o.SnapshotOut];
        _context = new float[schema.ContextContinuous];
        _contextOut = new float[o.ContextContinuousOut];
        _fused = new float[fusedWidth];
        _gates = new float[_branchWidths.Length];
        _fusion1 = new float[o.FusionHidden];
        _fusion2 = new float[o.FusionOut];
        SequenceLength = _l;
        SequenceFeatures = _s;
        SnapshotFeatures = schema.SnapshotFeatures;
        ContextContinuous = schema.ContextContinuous;
        TreeSignals = schema.TreeSignals;
    }

    /// <summary>
    /// A kernel over a copy of <paramref name="model"/>'s current weights (later changes to the model are not seen).
    /// <paramref name="width"/> forces a code path (512, 256 or 1) for tests; by default the widest this machine runs.
    /// </summary>
    public static HybridForwardKernel From(HybridModel model, int? width = null)
    {
        var w = width ?? DenseKernels.BestWidth;
        if (w is not (512 or 256 or 1)) throw new ArgumentOutOfRangeException(nameof(width), $"vector width must be 512, 256 or 1 (got {w})");
        using var _ = no_grad();
        return new HybridForwardKernel(model, w);
    }

    public int SequenceLength { get; }
    public int SequenceFeatures { get; }
    public int SnapshotFeatures { get; }
    public int ContextContinuous { get; }
    public int TreeSignals { get; }

    /// <summary>The vector width in use (512, 256 or 1).</summary>
    public int Width => _width;

    /// <summary>
    /// The direction logit for one bar: scaled window <c>[L, S]</c> row-major (oldest first), snapshot, categorical
    /// context ids, continuous context (unstandardised, as the model takes them) and tree signals in the model's order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float DirectionLogit(ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> categorical,
        ReadOnlySpan<float> continuous, ReadOnlySpan<float> treeSignals)
    {
        Check(sequence.Length, _l * _s, "sequence window");
        Check(snapshot.Length, SnapshotFeatures, "snapshot");
        Check(categorical.Length, _cardinalities.Length, "categorical context");
        Check(continuous.Length, ContextContinuous, "continuous context");
        Check(treeSignals.Length, TreeSignals, "tree signals");

        var fused = _fused.AsSpan();
        var offset = 0;
        Encode(sequence, fused[.._d]);
        offset += _d;

        Apply(_snapshotHidden, snapshot, _snapshot1);
        DenseKernels.Gelu(_snapshot1);
        Apply(_snapshotOut, _snapshot1, _snapshot2);
        DenseKernels.Gelu(_snapshot2);
        _snapshot2.CopyTo(fused[offset..]);
        offset += _snapshot2.Length;

        for (var i = 0; i < _cardinalities.Length; i++)
        {
            var id = categorical[i];
            if ((uint)id >= (uint)_cardinalities[i])
                throw new ArgumentOutOfRangeException(nameof(categorical), $"categorical context {i} is {id}, the model knows ids 0..{_cardinalities[i] - 1}");
            _embeddings[i].AsSpan(id * _embeddingWidth, _embeddingWidth).CopyTo(fused[offset..]);
            offset += _embeddingWidth;
        }

        for (var i = 0; i < _context.Length; i++) _context[i] = (continuous[i] - _contextMean[i]) / _contextStd[i];
        Apply(_contextProjection, _context, _contextOut);
        DenseKernels.AddLayerNorm(_contextOut, [], _contextNormWeight, _contextNormBias, LayerNormEps, _contextOut);
        _contextOut.CopyTo(fused[offset..]);
        offset += _contextOut.Length;

        for (var i = 0; i < TreeSignals; i++) fused[offset + i] = (treeSignals[i] - _treeMean[i]) / _treeStd[i];

        if (_gate is { } gate)
        {
            Apply(gate, fused, _gates);
            var start = 0;
            for (var b = 0; b < _branchWidths.Length; b++)
            {
                var g = 1f / (1f + MathF.Exp(-_gates[b]));
                foreach (ref var v in fused.Slice(start, _branchWidths[b])) v *= g;
                start += _branchWidths[b];
            }
        }

        Apply(_fusionHidden, fused, _fusion1);
        DenseKernels.Gelu(_fusion1);
        Apply(_fusionOut, _fusion1, _fusion2);
        DenseKernels.Gelu(_fusion2);
        return DenseKernels.Dot(_width, _fusion2, _direction) + _directionBias;
    }

    /// <summary>
    /// The three heads for one bar (same inputs as <see cref="DirectionLogit"/>): the direction and early-move logits and
    /// the quality prediction, all read from one pass through the fusion MLP.
    /// </summary>
    public (float Direction, float EarlyMove, float Quality) Heads(ReadOnlySpan<float> sequence, ReadOnlySpan<float> snapshot, ReadOnlySpan<int> categorical,
        ReadOnlySpan<float> continuous, ReadOnlySpan<float> treeSignals)
    {
        var direction = DirectionLogit(sequence, snapshot, categorical, continuous, treeSignals);
        return (direction, DenseKernels.Dot(_width, _fusion2, _earlyMove) + _earlyMoveBias, DenseKernels.Dot(_width, _fusion2, _quality) + _qualityBias);
    }

    /// <summary>The sequence encoder's pooled output <c>[D]</c> for one window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Encode(ReadOnlySpan<float> sequence, Span<float> pooled)
    {
        int l = _l, d = _d;
        var x = _x.AsSpan();
        DenseKernels.MatMul(_width, sequence, l, _s, _s, _inputT, d, 0, d, [], x, d);
        DenseKernels.AddScaled(_width, 1f, _inputBias, x);
        for (var i = 0; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            if (_lastPooling && i == _layers.Length - 1)
            {
                LastPositionLayer(layer, pooled);
                return;
            }
            if (i == 0)
            {
                DenseKernels.MatMul(_width, sequence, l, _s, _s, _firstQkvT, 3 * d, 0, 3 * d, [], _qkv, 3 * d);
                DenseKernels.AddScaled(_width, 1f, _firstQkvBias, _qkv);
            }
            else
            {
                DenseKernels.MatMul(_width, x, l, d, d, layer.QkvT, 3 * d, 0, 3 * d, layer.QkvBias, _qkv, 3 * d);
            }
            FullLayer(layer);
        }
        pooled.Clear();
        for (var p = 0; p < l; p++) DenseKernels.AddScaled(_width, 1f / l, x.Slice(p * d, d), pooled);
    }

    /// <summary>One encoder layer over every position, <see cref="_x"/> in place; <see cref="_qkv"/> holds its projections.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FullLayer(EncoderWeights layer)
    {
        int l = _l, d = _d, dh = _dh;
        var qkv = _qkv.AsSpan();
        var attention = _attention.AsSpan();
        var scores = _scores.AsSpan();
        for (var h = 0; h < _heads; h++)
            for (var i = 0; i < l; i++)
            {
                var q = qkv.Slice(i * 3 * d + h * dh, dh);
                for (var j = 0; j < l; j++) scores[j] = DenseKernels.Dot(_width, q, qkv.Slice(j * 3 * d + d + h * dh, dh)) * _scale;
                DenseKernels.Softmax(_width, scores);
                var output = attention.Slice(i * d + h * dh, dh);
                output.Clear();
                for (var j = 0; j < l; j++) DenseKernels.AddScaled(_width, scores[j], qkv.Slice(j * 3 * d + 2 * d + h * dh, dh), output);
            }
        var x = _x.AsSpan();
        DenseKernels.MatMul(_width, attention, l, d, d, layer.Out.WeightT, d, 0, d, layer.Out.Bias, _projected, d);
        for (var p = 0; p < l; p++)
            DenseKernels.AddLayerNorm(x.Slice(p * d, d), _projected.AsSpan(p * d, d), layer.Norm1Weight, layer.Norm1Bias, LayerNormEps, x.Slice(p * d, d));
        DenseKernels.MatMul(_width, x, l, d, d, layer.FeedForward1.WeightT, _ff, 0, _ff, layer.FeedForward1.Bias, _hidden, _ff);
        DenseKernels.Relu(_hidden);
        DenseKernels.MatMul(_width, _hidden, l, _ff, _ff, layer.FeedForward2.WeightT, d, 0, d, layer.FeedForward2.Bias, _projected, d);
        for (var p = 0; p < l; p++)
            DenseKernels.AddLayerNorm(x.Slice(p * d, d), _projected.AsSpan(p * d, d), layer.Norm2Weight, layer.Norm2Bias, LayerNormEps, x.Slice(p * d, d));
    }

    /// <summary>The final encoder layer's output at the last position only, from <see cref="_x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LastPositionLayer(EncoderWeights layer, Span<float> output)
    {
        int l = _l, d = _d, dh = _dh;
        var x = _x.AsSpan();
        var last = x.Slice((l - 1) * d, d);
        DenseKernels.MatMul(_width, last, 1, d, d, layer.QkvT, 3 * d, 0, d, layer.QkvBias.AsSpan(0, d), _query, d);
        var attention = _attention.AsSpan(0, d);
        var scores = _scores.AsSpan();
        for (var h = 0; h < _heads; h++)
        {
            var q = _query.AsSpan(h * dh, dh);
            var pulledBack = _pulledBack.AsSpan();
            pulledBack.Clear();
            for (var r = 0; r < dh; r++) DenseKernels.AddScaled(_width, q[r], layer.KeyWeight.AsSpan((h * dh + r) * d, d), pulledBack);
            var keyBias = DenseKernels.Dot(_width, q, layer.QkvBias.AsSpan(d + h * dh, dh));
            for (var j = 0; j < l; j++) scores[j] = (DenseKernels.Dot(_width, pulledBack, x.Slice(j * d, d)) + keyBias) * _scale;
            DenseKernels.Softmax(_width, scores);
            var pooled = _pooled.AsSpan();
            pooled.Clear();
            for (var j = 0; j < l; j++) DenseKernels.AddScaled(_width, scores[j], x.Slice(j * d, d), pooled);
            DenseKernels.MatMul(_width, pooled, 1, d, d, layer.QkvT, 3 * d, 2 * d + h * dh, dh, layer.QkvBias.AsSpan(2 * d + h * dh, dh), attention.Slice(h * dh, dh), dh);
        }
        var h1 = _vector.AsSpan();
        DenseKernels.MatMul(_width, attention, 1, d, d, layer.Out.WeightT, d, 0, d, layer.Out.Bias, _projected, d);
        DenseKernels.AddLayerNorm(last, _projected.AsSpan(0, d), layer.Norm1Weight, layer.Norm1Bias, LayerNormEps, h1);
        var hidden = _hidden.AsSpan(0, _ff);
        DenseKernels.MatMul(_width, h1, 1, d, d, layer.FeedForward1.WeightT, _ff, 0, _ff, layer.FeedForward1.Bias, hidden, _ff);
        DenseKernels.Relu(hidden);
        DenseKernels.MatMul(_width, hidden, 1, _ff, _ff, layer.FeedForward2.WeightT, d, 0, d, layer.FeedForward2.Bias, _projected, d);
        DenseKernels.AddLayerNorm(h1, _projected.AsSpan(0, d), layer.Norm2Weight, layer.Norm2Bias, LayerNormEps, output);
    }

    /// <summary>
    /// Layer 0's qkv of position p is <c>(s_p W_in^T + b_in + pos_p) W_qkv^T + b_qkv</c>: the product of the two weight
    /// matrices (in double, rounded once) and a per-position bias.
    /// </summary>
    private (float[] Weight, float[] Bias) FoldInputIntoFirstLayer(EncoderWeights first)
    {
        int d = _d, n = 3 * _d;
        var weight = new float[_s * n];
        for (var s = 0; s < _s; s++)
            for (var c = 0; c < n; c++)
            {
                double sum = 0;
                for (var i = 0; i < d; i++) sum += (double)_inputT[s * d + i] * first.QkvT[i * n + c];
                weight[s * n + c] = (float)sum;
            }
        var bias = new float[_l * n];
        for (var p = 0; p < _l; p++)
            for (var c = 0; c < n; c++)
            {
                double sum = first.QkvBias[c];
                for (var i = 0; i < d; i++) sum += (double)_inputBias[p * d + i] * first.QkvT[i * n + c];
                bias[p * n + c] = (float)sum;
            }
        return (weight, bias);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Apply(Linear linear, ReadOnlySpan<float> x, Span<float> y) =>
        DenseKernels.MatMul(_width, x, 1, linear.Input, linear.Input, linear.WeightT, linear.Output, 0, linear.Output, linear.Bias, y, linear.Output);

    private static float[] Transpose(float[] weight, int rows, int columns)
    {
        var t = new float[weight.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++) t[c * rows + r] = weight[r * columns + c];
        return t;
    }

    private static void Check(int actual, int expected, string what)
    {
        if (actual != expected) throw new ArgumentException($"{what} has {actual} values, the model expects {expected}");
    }

    /// <summary>A linear layer's weight transposed to input-major <c>[Input, Output]</c>, and its bias.</summary>
    private sealed record Linear(float[] WeightT, float[] Bias, int Input, int Output);

    private sealed record EncoderWeights(
        float[] QkvT, float[] QkvBias, float[] KeyWeight, Linear Out, Linear FeedForward1, Linear FeedForward2,
        float[] Norm1Weight, float[] Norm1Bias, float[] Norm2Weight, float[] Norm2Bias);
}
