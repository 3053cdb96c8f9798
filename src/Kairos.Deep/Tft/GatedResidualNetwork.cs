using Kairos.Deep.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kairos.Deep.Tft;

/// <summary>
/// The TFT's gated residual network (Lim et al. 2021, eq. 2-5):
/// <c>LayerNorm(skip(a) + GLU(dropout(W1 ELU(W2 a + W3 c + b2) + b1)))</c>, with the optional context <c>c</c> entering
/// without bias, <c>skip</c> a linear map when the input and output widths differ (else the identity), and
/// <c>GLU(x) = sigmoid(W4 x + b4) * (W5 x + b5)</c>, which lets the network suppress the whole block.
/// Field names are checkpoint keys.
/// </summary>
internal sealed class GatedResidualNetwork : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear input;
    private readonly Linear? context;
    private readonly Linear hidden;
    private readonly GateAddNorm gate;
    private readonly Linear? skip;

    public GatedResidualNetwork(int inputSize, int hiddenSize, int outputSize, int contextSize, double dropout, Generator generator)
        : base(nameof(GatedResidualNetwork))
    {
        input = nn.Linear(inputSize, hiddenSize);
        context = contextSize > 0 ? nn.Linear(contextSize, hiddenSize, hasBias: false) : null;
        hidden = nn.Linear(hiddenSize, hiddenSize);
        gate = new GateAddNorm(hiddenSize, outputSize, dropout, generator);
        skip = inputSize != outputSize ? nn.Linear(inputSize, outputSize) : null;
        RegisterComponents();
    }

    /// <summary><paramref name="a"/> <c>[..., in]</c>, <paramref name="c"/> <c>[..., context]</c> broadcastable to it or null.</summary>
    public override Tensor forward(Tensor a, Tensor? c)
    {
        var eta2 = input.forward(a);
        if (context is not null)
        {
            if (c is null) throw new ArgumentException("this gated residual network takes a context", nameof(c));
            eta2 = eta2 + context.forward(c);
        }
        var eta1 = hidden.forward(F.elu(eta2, 1.0));
        return gate.forward(eta1, skip is null ? a : skip.forward(a));
    }
}

/// <summary>
/// Gate, add and norm: <c>LayerNorm(residual + GLU(dropout(x)))</c>, the gated skip connection the TFT puts after the
/// LSTM, the attention and the whole decoder. Field names are checkpoint keys.
/// </summary>
internal sealed class GateAddNorm : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly SeededDropout dropout;
    private readonly Linear glu;
    private readonly LayerNorm norm;

    public GateAddNorm(int inputSize, int outputSize, double dropoutP, Generator generator) : base(nameof(GateAddNorm))
    {
        dropout = new SeededDropout(dropoutP, generator);
        glu = nn.Linear(inputSize, 2 * outputSize);
        norm = nn.LayerNorm(outputSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor residual) => norm.forward(residual + F.glu(glu.forward(dropout.forward(x)), -1));
}
