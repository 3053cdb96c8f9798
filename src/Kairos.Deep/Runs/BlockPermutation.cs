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
/// The generator is SplitMix64 seeded with <see cref="TrainingDevice.EpochSeed"/>, and bounded draws use Lemire's
/// multiply-and-reject method, both written here: the order depends on the seed, the epoch and the row count only,
/// never on the batch source, the device, libtorch or the .NET version.
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
        Shuffle(blockOrder, random);

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
            Shuffle(order.AsSpan((int)groupStart, (int)(written - groupStart)), random);
        }
        return order;
    }

    private static void Shuffle(Span<long> values, SplitMix64 random)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = (int)random.Below((ulong)i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private sealed class SplitMix64(ulong state)
    {
        private ulong _state = state;

        public ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, <paramref name="bound"/>) (Lemire, "Fast random integer generation in an interval", 2019).</summary>
        public ulong Below(ulong bound)
        {
            var high = Math.BigMul(Next(), bound, out var low);
            if (low < bound)
            {
                var threshold = (0 - bound) % bound;
                while (low < threshold) high = Math.BigMul(Next(), bound, out low);
            }
            return high;
        }
    }
}
