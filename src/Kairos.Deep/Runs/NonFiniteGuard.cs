using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>What the NaN/Inf guard of every trainer reports when a gradient or the weights stop being finite.</summary>
public static class NonFiniteGuard
{
    /// <summary>Names the first parameters whose gradients are non-finite.</summary>
    public static string GradientDetail(IEnumerable<(string name, Parameter parameter)> named)
    {
        var bad = named.Where(p => p.parameter.grad is { } g && !isfinite(g).all().item<bool>()).Select(p => p.name).Take(5).ToList();
        return bad.Count > 0 ? $"gradient norm is non-finite; first parameters with non-finite gradients: {string.Join(", ", bad)}" : "gradient norm is non-finite";
    }

    /// <summary>Names the first parameters whose values are non-finite, or says the loss overflowed.</summary>
    public static string WeightDetail(IEnumerable<(string name, Parameter parameter)> named)
    {
        var badWeights = named.Where(p => !isfinite(p.parameter).all().item<bool>()).Select(p => p.name).Take(5).ToList();
        return badWeights.Count > 0
            ? $"inputs are finite; non-finite weights in {string.Join(", ", badWeights)}"
            : "inputs and weights are finite; the loss overflowed (learning rate too high?)";
    }
}
