using Kairos.Deep.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kairos.Deep.Tft;

/// <summary>
/// One linear transform per real-valued variable (the TFT's input transformation: each scalar becomes a
/// <c>d</c>-wide vector through its own weights): <c>[..., V]</c> to <c>[..., V, d]</c>. Initialised as
/// <c>nn.Linear(1, d)</c> is (uniform in [-1, 1]) from libtorch's global generator. Field names are checkpoint keys.
/// </summary>
internal sealed class ScalarInputs : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public ScalarInputs(int variables, int width) : base(nameof(ScalarInputs))
    {
        weight = new Parameter(empty(variables, width).uniform_(-1, 1));
        bias = new Parameter(empty(variables, width).uniform_(-1, 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x.unsqueeze(-1) * weight + bias;
}

/// <summary>
/// V gated residual networks of width <c>d</c>, one per variable with its own weights (the TFT's per-variable
/// processing <c>GRN_j(xi_j)</c>), evaluated together as batched matrix products: <c>[N, V, d]</c> to <c>[N, V, d]</c>.
/// The same function as V separate <see cref="GatedResidualNetwork"/>s without context (identity skip, layer norm
/// with its own gain and bias per variable). Field names are checkpoint keys.
/// </summary>
internal sealed class VariableGrns : nn.Module<Tensor, Tensor>
{
    private readonly Parameter input_weight;
    private readonly Parameter input_bias;
    private readonly Parameter hidden_weight;
    private readonly Parameter hidden_bias;
    private readonly Parameter glu_weight;
    private readonly Parameter glu_bias;
    private readonly Parameter norm_weight;
    private readonly Parameter norm_bias;
    private readonly SeededDropout dropout;
    private readonly int _width;

    public VariableGrns(int variables, int width, double dropoutP, Generator generator) : base(nameof(VariableGrns))
    {
        _width = width;
        var bound = 1.0 / Math.Sqrt(width);
        Parameter Uniform(params long[] shape) => new(empty(shape).uniform_(-bound, bound));
        input_weight = Uniform(variables, width, width);
        input_bias = Uniform(variables, 1, width);
        hidden_weight = Uniform(variables, width, width);
        hidden_bias = Uniform(variables, 1, width);
        glu_weight = Uniform(variables, width, 2 * width);
        glu_bias = Uniform(variables, 1, 2 * width);
        norm_weight = new Parameter(ones(variables, 1, width));
        norm_bias = new Parameter(zeros(variables, 1, width));
        dropout = new SeededDropout(dropoutP, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var v = x.transpose(0, 1);                                        // [V, N, d]
        var eta2 = v.bmm(input_weight) + input_bias;
        var eta1 = F.elu(eta2, 1.0).bmm(hidden_weight) + hidden_bias;
        var gated = F.glu(dropout.forward(eta1).bmm(glu_weight) + glu_bias, -1);
        var normed = F.layer_norm(v + gated, [_width]) * norm_weight + norm_bias;
        return normed.transpose(0, 1);                                    // [N, V, d]
    }
}

/// <summary>
/// The TFT's variable selection network (Lim et al. 2021, eq. 6-8): softmax weights over the V variables from a
/// gated residual network of all of them flattened (and, for the sequence, the static context <c>c_s</c>), applied
/// to each variable's own gated residual network. Returns the selected vector <c>[N, d]</c> and the weights
/// <c>[N, V]</c> (each row sums to 1): the model's per-sample variable importance. Field names are checkpoint keys.
/// </summary>
internal sealed class VariableSelectionNetwork : nn.Module<Tensor, Tensor?, (Tensor Selected, Tensor Weights)>
{
    private readonly GatedResidualNetwork flat;
    private readonly VariableGrns variables;
    private readonly int _count;
    private readonly int _width;

    public VariableSelectionNetwork(int count, int width, int contextSize, double dropout, Generator generator) : base(nameof(VariableSelectionNetwork))
    {
        _count = count;
        _width = width;
        flat = new GatedResidualNetwork(count * width, width, count, contextSize, dropout, generator);
        variables = new VariableGrns(count, width, dropout, generator);
        RegisterComponents();
    }

    /// <summary><paramref name="xi"/> <c>[N, V, d]</c> (transformed inputs), <paramref name="context"/> <c>[N, c]</c> or null.</summary>
    public override (Tensor Selected, Tensor Weights) forward(Tensor xi, Tensor? context)
    {
        var n = xi.shape[0];
        var weights = F.softmax(flat.forward(xi.reshape(n, _count * _width), context), -1);
        var selected = (variables.forward(xi) * weights.unsqueeze(-1)).sum(1);
        return (selected, weights);
    }
}

/// <summary>
/// Interpretable multi-head attention (Lim et al. 2021, eq. 13-16): per-head query and key projections, one value
/// projection shared by every head, the heads' attention averaged, then one output projection. Only the decision
/// bar's (the last position's) query is formed: the heads read only that position, and the last position attends to
/// every earlier one, so the decoder's causal mask never masks anything. Returns the attended vector <c>[B, d]</c> and
/// the head-averaged attention over the window <c>[B, L]</c> (index L-1 is the decision bar). Field names are checkpoint keys.
/// </summary>
internal sealed class InterpretableAttention : nn.Module<Tensor, (Tensor Output, Tensor Attention)>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;
    private readonly int _heads;
    private readonly int _headWidth;

    public InterpretableAttention(int width, int heads) : base(nameof(InterpretableAttention))
    {
        _heads = heads;
        _headWidth = width / heads;
        query = nn.Linear(width, width);
        key = nn.Linear(width, width);
        value = nn.Linear(width, _headWidth);
        output = nn.Linear(_headWidth, width);
        RegisterComponents();
    }

    /// <summary><paramref name="x"/> <c>[B, L, d]</c>.</summary>
    public override (Tensor Output, Tensor Attention) forward(Tensor x)
    {
        long b = x.shape[0], l = x.shape[1];
        var q = query.forward(x.select(1, -1)).reshape(b, _heads, 1, _headWidth);               // [B, H, 1, dk]
        var k = key.forward(x).reshape(b, l, _heads, _headWidth).permute(0, 2, 3, 1);           // [B, H, dk, L]
        var scores = q.matmul(k).squeeze(2) / Math.Sqrt(_headWidth);                              // [B, H, L]
        var attention = F.softmax(scores, -1).mean([1]);                                          // [B, L]
        var attended = attention.unsqueeze(1).bmm(value.forward(x)).squeeze(1);                  // [B, dk]
        return (output.forward(attended), attention);
    }
}
