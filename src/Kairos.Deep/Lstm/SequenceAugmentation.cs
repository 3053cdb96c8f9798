using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// Jitter, scaling and a smooth random time warp of a batch of windows <c>[B, L, F]</c>. Returns a new tensor;
/// the input (a view into the split's tensor) is never modified. Called by the classifier's training step only.
/// </summary>
public static class SequenceAugmentation
{
    public static Tensor Apply(Tensor x, AugmentationOptions options, Generator generator)
    {
        using var scope = NewDisposeScope();
        var b = x.shape[0];
        var l = x.shape[1];
        var f = x.shape[2];
        var y = x;
        if (options.TimeWarpStd > 0 && l > 2) y = TimeWarp(y, options, generator);
        if (options.ScaleStd > 0)
            y = y * (randn([b, 1, f], dtype: x.dtype, device: x.device, generator: generator) * options.ScaleStd + 1.0);
        if (options.JitterStd > 0)
            y = y + randn(x.shape, dtype: x.dtype, device: x.device, generator: generator) * options.JitterStd;
        if (ReferenceEquals(y, x)) y = x.clone();
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Resamples every window along time at positions from a random, smooth, monotone warp of [0, L-1]: log-speeds
    /// drawn at a few knots are interpolated linearly to every position, exponentiated, accumulated and rescaled
    /// so that the first and last bar stay in place; values between bars are interpolated linearly.
    /// </summary>
    private static Tensor TimeWarp(Tensor x, AugmentationOptions options, Generator generator)
    {
        var b = x.shape[0];
        var l = (int)x.shape[1];
        var f = x.shape[2];
        var k = options.TimeWarpKnots;
        var interpolation = new float[k * l];
        for (var j = 0; j < l; j++)
        {
            var t = (double)j / (l - 1) * (k - 1);
            var lo = Math.Min((int)Math.Floor(t), k - 2);
            var w = t - lo;
            interpolation[lo * l + j] = (float)(1 - w);
            interpolation[(lo + 1) * l + j] = (float)w;
        }
        var knots = randn([b, k], dtype: x.dtype, device: x.device, generator: generator) * options.TimeWarpStd;
        var speeds = knots.matmul(tensor(interpolation, [k, l], dtype: x.dtype, device: x.device)).exp();
        var cumulative = speeds.cumsum(1);
        var first = cumulative.narrow(1, 0, 1);
        var last = cumulative.narrow(1, l - 1, 1);
        var positions = (cumulative - first) / (last - first) * (l - 1);
        var lower = positions.floor().clamp(0, l - 1);
        var upper = (lower + 1).clamp(0, l - 1);
        var weight = (positions - lower).unsqueeze(-1);
        var lowerIndex = lower.to(ScalarType.Int64).unsqueeze(-1).expand(b, l, f);
        var upperIndex = upper.to(ScalarType.Int64).unsqueeze(-1).expand(b, l, f);
        return x.gather(1, lowerIndex) * (1 - weight) + x.gather(1, upperIndex) * weight;
    }
}
