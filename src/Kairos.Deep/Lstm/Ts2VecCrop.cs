using static TorchSharp.torch;

namespace Kairos.Deep.Lstm;

/// <summary>
/// TS2Vec's random cropping of a batch of windows of <c>L</c> bars (the authors' <c>ts2vec.py</c>, <c>fit</c>): one
/// overlap <c>[Left, Right)</c> of <see cref="CropLength"/> bars and two views around it, view 1
/// <c>[ExtendedLeft, Right)</c> and view 2 <c>[Left, ExtendedRight)</c>, the same for the whole batch, shifted per
/// window by <see cref="Offsets"/> so that every view stays inside its window. Both views contain the overlap, each
/// with different context; the loss compares the overlap's representations in the two.
/// </summary>
public sealed record Ts2VecCrop(int WindowLength, int CropLength, int Left, int ExtendedLeft, int ExtendedRight, IReadOnlyList<long> Offsets)
{
    /// <summary>End (exclusive) of the overlap before the shift.</summary>
    public int Right => Left + CropLength;
    /// <summary>Bars in view 1: <c>[ExtendedLeft, Right)</c>; the overlap is its last <see cref="CropLength"/> bars.</summary>
    public int View1Length => Right - ExtendedLeft;
    /// <summary>Bars in view 2: <c>[Left, ExtendedRight)</c>; the overlap is its first <see cref="CropLength"/> bars.</summary>
    public int View2Length => ExtendedRight - Left;

    /// <summary>
    /// Draws a crop for <paramref name="batch"/> windows of <paramref name="length"/> bars from <paramref name="generator"/>:
    /// crop length uniform in [<paramref name="minimumLength"/>, L], overlap start uniform in [0, L - crop], view 1's start
    /// uniform in [0, Left], view 2's end uniform in [Right, L], each window's shift uniform in [-ExtendedLeft, L - ExtendedRight].
    /// </summary>
    public static Ts2VecCrop Draw(long batch, int length, int minimumLength, Generator generator)
    {
        if (minimumLength < 1 || minimumLength > length)
            throw new ArgumentOutOfRangeException(nameof(minimumLength), $"crops of at least {minimumLength} bars do not fit windows of {length} bars");
        var cropLength = Uniform(minimumLength, length);
        var left = Uniform(0, length - cropLength);
        var extendedLeft = Uniform(0, left);
        var extendedRight = Uniform(left + cropLength, length);
        using var shifts = randint(length - extendedRight + extendedLeft + 1, [batch], generator: generator);
        var offsets = shifts.data<long>().Select(s => s - extendedLeft).ToArray();
        return new Ts2VecCrop(length, cropLength, left, extendedLeft, extendedRight, offsets);

        int Uniform(int low, int high)
        {
            using var draw = randint(high - low + 1, [1], generator: generator);
            return low + (int)draw.item<long>();
        }
    }

    /// <summary>The two views of <paramref name="x"/> <c>[B, L, F]</c>: <c>[B, View1Length, F]</c> and <c>[B, View2Length, F]</c>.</summary>
    public (Tensor View1, Tensor View2) Apply(Tensor x)
    {
        if (x.shape[0] != Offsets.Count || x.shape[1] != WindowLength)
            throw new ArgumentException($"the crop was drawn for {Offsets.Count} windows of {WindowLength} bars, not [{string.Join(", ", x.shape)}]");
        using var scope = NewDisposeScope();
        using var offsets = tensor(Offsets.ToArray(), device: x.device);
        return (Take(x, offsets, ExtendedLeft, View1Length).MoveToOuterDisposeScope(), Take(x, offsets, Left, View2Length).MoveToOuterDisposeScope());
    }

    /// <summary>Per window b, bars <c>offset[b] + start ..</c> <paramref name="count"/> of them (the reference's <c>take_per_row</c>).</summary>
    private static Tensor Take(Tensor x, Tensor offsets, int start, int count)
    {
        var index = (offsets.unsqueeze(1) + start + arange(count, device: x.device).unsqueeze(0)).unsqueeze(-1).expand(x.shape[0], count, x.shape[2]);
        return x.gather(1, index);
    }
}
