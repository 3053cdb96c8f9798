using System.Numerics;

namespace Kairos.Evaluation.Statistics;

/// <summary>Binary search of ascending values.</summary>
internal static class SortedSearch
{
    /// <summary>
    /// The first index whose value is not less than <paramref name="value"/> (<paramref name="sorted"/>'s length when there
    /// is none): numpy <c>searchsorted(sorted, value, side="left")</c>, the count of values strictly below.
    /// </summary>
    public static int LowerBound<T>(ReadOnlySpan<T> sorted, T value) where T : IComparisonOperators<T, T, bool>
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
