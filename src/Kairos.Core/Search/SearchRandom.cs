namespace Kairos.Search;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small, fully specified generator whose sequence does
/// not depend on the .NET version, so a study seed means the same trials everywhere.
/// </summary>
internal sealed class SearchRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SearchRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator for one parameter of one trial: a function of seed, trial number and name only.</summary>
    public static SearchRandom For(long seed, long trialNumber, string paramName, string stream)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in stream + "\u0000" + paramName)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }
        var x = (ulong)seed;
        var a = SplitMix(ref x);
        x = a ^ (ulong)trialNumber * 0x9E3779B97F4A7C15UL;
        var b = SplitMix(ref x);
        return new SearchRandom(b ^ h);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return (int)(NextDouble() * n);
    }

    public ulong Next()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
