using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>Masks for masked-autoencoder pretraining and the loss that scores masked positions only.</summary>
public static class SequenceMasking
{
    /// <summary>A boolean mask <c>[batch, length]</c> (true = hidden), drawn from <paramref name="generator"/>.</summary>
    public static Tensor Create(long batch, int length, MaskingStrategy strategy, double ratio, int patchLength, Generator generator, Device? device = null)
    {
        using var scope = NewDisposeScope();
        Tensor mask;
        if (strategy == MaskingStrategy.Random)
        {
            var hidden = Math.Clamp((int)Math.Round(ratio * length), 1, length);
            var ranks = rand([batch, length], generator: generator).argsort(1).argsort(1);
            mask = ranks.lt(hidden);
        }
        else
        {
            var patch = Math.Min(patchLength, length);
            var patches = (length + patch - 1) / patch;
            var hidden = Math.Clamp((int)Math.Round(ratio * patches), 1, patches);
            var ranks = rand([batch, patches], generator: generator).argsort(1).argsort(1);
            var patchMask = ranks.lt(hidden);
            mask = patchMask.repeat_interleave(patch, 1).narrow(1, 0, length);
        }
        return (device is null ? mask : mask.to(device)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mean squared error over the masked positions only: <c>sum(mask x mean_f (rec - x)^2) / sum(mask)</c>.
    /// Values at unmasked positions never reach the loss or its gradient.
    /// </summary>
    public static Tensor MaskedLoss(Tensor reconstruction, Tensor target, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var perPosition = (reconstruction - target).square().mean([-1]);
        var weights = mask.to(perPosition.dtype);
        var loss = (perPosition * weights).sum() / weights.sum().clamp_min(1);
        return loss.MoveToOuterDisposeScope();
    }
}
