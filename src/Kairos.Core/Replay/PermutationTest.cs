namespace Kairos.Replay;

/// <summary>Between-bucket variance of a sample and its permutation baseline (labels shuffled, seeded).</summary>
internal static class PermutationTest
{
    /// <summary>Sum over buckets of n_g (mean_g - mean)^2, divided by n.</summary>
    public static double BetweenBucketVariance(ReadOnlySpan<double> values, ReadOnlySpan<int> labels, int buckets)
    {
        Span<double> sums = buckets <= 64 ? stackalloc double[buckets] : new double[buckets];
        Span<int> counts = buckets <= 64 ? stackalloc int[buckets] : new int[buckets];
        sums.Clear();
        counts.Clear();
        double total = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sums[labels[i]] += values[i];
            counts[labels[i]]++;
            total += values[i];
        }
        var mean = total / values.Length;
        double between = 0;
        for (var g = 0; g < buckets; g++)
        {
            if (counts[g] == 0) continue;
            var d = sums[g] / counts[g] - mean;
            between += counts[g] * d * d;
        }
        return between / values.Length;
    }

    public static double TotalVariance(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        var mean = sum / values.Length;
        double ss = 0;
        foreach (var v in values) ss += (v - mean) * (v - mean);
        return ss / values.Length;
    }

    /// <summary>The statistic of every permutation of <paramref name="labels"/> (Fisher-Yates, <see cref="Random"/> seeded).</summary>
    public static double[] Baseline(ReadOnlySpan<double> values, ReadOnlySpan<int> labels, int buckets, int permutations, int seed)
    {
        var random = new Random(seed);
        var shuffled = labels.ToArray();
        var result = new double[permutations];
        for (var p = 0; p < permutations; p++)
        {
            for (var i = shuffled.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }
            result[p] = BetweenBucketVariance(values, shuffled, buckets);
        }
        return result;
    }
}
