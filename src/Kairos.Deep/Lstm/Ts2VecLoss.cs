using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// TS2Vec's hierarchical contrastive loss (Yue et al., AAAI 2022, section 3.3; the authors' <c>models/losses.py</c>)
/// on the representations <c>[B, T, C]</c> of the two views' overlapping part: at every level the instance-wise term
/// (weight alpha) and the temporal term (weight 1 - alpha, from level <c>temporalUnit</c> on), then both views are
/// max-pooled along time by 2 until one timestamp is left, where the instance-wise term is added once more; the sum
/// is divided by the number of levels. Similarities are raw dot products, as in the paper.
/// </summary>
public static class Ts2VecLoss
{
    /// <summary>Levels of the hierarchy for <paramref name="length"/> timestamps: floor(log2 length) + 1.</summary>
    public static int Levels(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var levels = 1;
        for (var t = length; t > 1; t /= 2) levels++;
        return levels;
    }

    /// <summary>The hierarchical loss (a scalar) of the two views' representations <paramref name="z1"/>, <paramref name="z2"/> <c>[B, T, C]</c>.</summary>
    public static Tensor Hierarchical(Tensor z1, Tensor z2, double alpha = 0.5, int temporalUnit = 0)
    {
        if (!z1.shape.SequenceEqual(z2.shape) || z1.dim() != 3)
            throw new ArgumentException($"the two views must have the same shape [B, T, C] (got [{string.Join(", ", z1.shape)}] and [{string.Join(", ", z2.shape)}])");
        using var scope = NewDisposeScope();
        var loss = zeros([], z1.dtype, z1.device);
        var levels = 0;
        while (z1.shape[1] > 1)
        {
            if (alpha != 0) loss = loss + alpha * Instance(z1, z2);
            if (levels >= temporalUnit && alpha != 1) loss = loss + (1 - alpha) * Temporal(z1, z2);
            levels++;
            z1 = nn.functional.max_pool1d(z1.transpose(1, 2), 2).transpose(1, 2);
            z2 = nn.functional.max_pool1d(z2.transpose(1, 2), 2).transpose(1, 2);
        }
        if (alpha != 0) loss = loss + alpha * Instance(z1, z2);
        levels++;
        return (loss / levels).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Instance-wise term: at every timestamp, each window's representation in one view against the same window in
    /// the other view (positive) and the other windows of the batch in both views (negatives); 0 for a batch of one.
    /// </summary>
    public static Tensor Instance(Tensor z1, Tensor z2)
    {
        if (z1.shape[0] == 1) return zeros([], z1.dtype, z1.device);
        using var scope = NewDisposeScope();
        return Contrast(cat([z1, z2], 0).transpose(0, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Temporal term: in every window, each timestamp's representation in one view against the same timestamp in the
    /// other view (positive) and the window's other timestamps in both views (negatives); 0 for one timestamp.
    /// </summary>
    public static Tensor Temporal(Tensor z1, Tensor z2)
    {
        if (z1.shape[1] == 1) return zeros([], z1.dtype, z1.device);
        using var scope = NewDisposeScope();
        return Contrast(cat([z1, z2], 1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="z"/> <c>[G, 2M, C]</c>: in each of G groups, item k's positive is item k + M (k &lt; M) or k - M;
    /// the mean over all 2M x G anchors of -log softmax of the positive's similarity among the 2M - 1 others (the
    /// anchor itself left out, as the reference's tril/triu split does).
    /// </summary>
    private static Tensor Contrast(Tensor z)
    {
        var items = z.shape[1];
        var half = items / 2;
        var similarity = matmul(z, z.transpose(1, 2));
        using var self = eye(items, dtype: ScalarType.Bool, device: z.device);
        var logProbabilities = similarity.masked_fill(self, double.NegativeInfinity).log_softmax(-1);
        var positive = cat([arange(half, items, device: z.device), arange(0, half, device: z.device)]);
        var picked = logProbabilities.gather(-1, positive.view(1, items, 1).expand(z.shape[0], items, 1));
        return -picked.mean();
    }
}
