using Kairos.Deep.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Kairos.Deep.Hybrid;

/// <summary><c>gelu(output(dropout(gelu(hidden(x)))))</c>: the snapshot MLP and the fusion MLP.</summary>
internal sealed class TwoLayerMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly SeededDropout dropout;

    public TwoLayerMlp(int input, int hiddenWidth, int outputWidth, double dropoutP, Generator generator) : base(nameof(TwoLayerMlp))
    {
        hidden = nn.Linear(input, hiddenWidth);
        output = nn.Linear(hiddenWidth, outputWidth);
        dropout = new SeededDropout(dropoutP, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => F.gelu(output.forward(dropout.forward(F.gelu(hidden.forward(x)))));
}
