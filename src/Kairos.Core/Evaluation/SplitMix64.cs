namespace Kairos.Evaluation;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, well mixed. Bounded draws use Lemire's multiply-shift
/// on 32-bit halves (bias below n / 2^32, negligible for any n that fits in memory); <see cref="NextBelowUnbiased"/>
/// rejects to remove even that (the deep trainers' shuffles, <c>BlockPermutation</c>). A struct: pass it by <c>ref</c>.
/// </summary>
public struct SplitMix64(ulong state)
{
    private ulong _state = state;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int NextBelow(uint bound) => (int)(((NextUInt64() >> 32) * bound) >> 32);

    /// <summary>Uniform in [0, <paramref name="bound"/>), exactly (Lemire, "Fast random integer generation in an interval", 2019: multiply, reject the biased low part).</summary>
    public ulong NextBelowUnbiased(ulong bound)
    {
        var high = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0 - bound) % bound;
            while (low < threshold) high = Math.BigMul(NextUInt64(), bound, out low);
        }
        return high;
    }

    /// <summary>Adds one bootstrap resample to <paramref name="counts"/>: counts.Length draws with replacement, two per 64-bit output.</summary>
    public void DrawCounts(Span<int> counts)
    {
        var n = (uint)counts.Length;
        var k = 0;
        for (; k + 1 < counts.Length; k += 2)
        {
            var bits = NextUInt64();
            counts[(int)(((bits & 0xFFFFFFFFUL) * n) >> 32)]++;
            counts[(int)(((bits >> 32) * n) >> 32)]++;
        }
        if (k < counts.Length)
            counts[NextBelow(n)]++;
    }
}
