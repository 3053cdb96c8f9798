using Kairos.Evaluation;

namespace Kairos.Deep.Runs;

/// <summary>
/// The order in which an epoch visits a split's samples: a seeded <b>block permutation</b>. The rows are cut into
/// blocks of <c>blockRows</c> consecutive rows; the blocks are shuffled; the shuffled blocks are taken
/// <c>groupBlocks</c> at a time, and the rows of each such group are shuffled among themselves. A batch thus mixes
/// rows from up to <c>groupBlocks</c> places in the split, while a reader from disk touches one group's blocks at a
/// time (the hybrid's on-disk batch source). A split of at most <c>blockRows x groupBlocks</c> rows is one group:
/// a full shuffle.
/// </summary>
/// <remarks>
/// The generator is <see cref="SplitMix64"/> seeded with <see cref="TrainingDevice.EpochSeed"/>, with Lemire's exact
/// bounded draws (<see cref="SplitMix64.NextBelowUnbiased"/>): the order depends on the seed, the epoch and the row count
/// only, never on the batch source, the device, libtorch or the .NET version.
/// </remarks>
public static class BlockPermutation
{
    /// <summary>Default rows per block.</summary>
    public const int DefaultBlockRows = 256;
    /// <summary>Default blocks shuffled together.</summary>
    public const int DefaultGroupBlocks = 256;

    /// <summary>The visiting order of epoch <paramref name="epoch"/> over <paramref name="count"/> rows (every row exactly once).</summary>
    public static long[] Order(long count, long seed, int epoch, int blockRows = DefaultBlockRows, int groupBlocks = DefaultGroupBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groupBlocks);
        var random = new SplitMix64(TrainingDevice.EpochSeed(seed, epoch));
        var blocks = (count + blockRows - 1) / blockRows;
        var blockOrder = new long[blocks];
        for (long b = 0; b < blocks; b++) blockOrder[b] = b;
        Shuffle(blockOrder, ref random);

        var order = new long[count];
        long written = 0;
        for (long g = 0; g < blocks; g += groupBlocks)
        {
            var groupStart = written;
            for (var b = g; b < Math.Min(blocks, g + groupBlocks); b++)
            {
                var first = blockOrder[b] * blockRows;
                var last = Math.Min(count, first + blockRows);
                for (var r = first; r < last; r++) order[written++] = r;
            }
            Shuffle(order.AsSpan((int)groupStart, (int)(written - groupStart)), ref random);
        }
        return order;
    }

    private static void Shuffle(Span<long> values, ref SplitMix64 random)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = (int)random.NextBelowUnbiased((ulong)i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
