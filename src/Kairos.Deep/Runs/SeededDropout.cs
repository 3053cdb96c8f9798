using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>
/// Inverted dropout drawing its mask from a private <see cref="Generator"/> rather than libtorch's global
/// one, so that a run's randomness is its own (resumable from a saved generator state, unaffected by
/// other work in the process).
/// </summary>
internal sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _p;
    private readonly Generator _generator;

    public SeededDropout(double p, Generator generator) : base(nameof(SeededDropout))
    {
        _p = p;
        _generator = generator;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _p == 0) return input;
        using var noise = rand(input.shape, dtype: input.dtype, device: input.device, generator: _generator);
        using var keep = noise.ge(_p);
        return input.mul(keep).mul_(1.0 / (1.0 - _p));
    }
}
