
namespace Kairos.Snapshots.Parsing;

/// <summary>Order statistics by selection (no full sort).</summary>
internal static class Statistics
{
    /// <summary>
    /// Rank of the q-quantile as an observed value: floor((n - 1) q) (numpy's <c>method="lower"</c>), so a
    /// reported percentile is always a value that occurred.
    /// </summary>
    public static int Rank(int n, double q) => (int)Math.Floor((n - 1) * q);

    /// <summary>
    /// Reorders <paramref name="a"/>[0..<paramref name="count"/>) so that position <paramref name="k"/> holds the
    /// value it would hold after sorting, smaller-or-equal values before it and greater-or-equal after it;
    /// returns that value. Quickselect with median-of-three pivots.
    /// </summary>
    public static double Select(double[] a, int count, int k)
    {
        int lo = 0, hi = count - 1;
        while (hi > lo)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            var pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i > j) break;
                (a[i], a[j]) = (a[j], a[i]);
                i++;
                j--;
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else break;
        }
        return a[k];
    }
}
