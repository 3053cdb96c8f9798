namespace Kairos.Trees;

/// <summary>
/// Purged k-fold cross-validation by time (López de Prado, <i>Advances in Financial Machine Learning</i>, ch. 7):
/// the rows are cut into <c>k</c> contiguous blocks of time; the model of fold <c>i</c> trains on every
/// row outside block <c>i</c> except the <b>purged</b> rows just before the block (their labels look into
/// it) and the <b>embargoed</b> rows just after it (their features overlap the block's label horizon).
/// Every row is held out by exactly one fold, so each row gets a prediction from a model that never saw it.
/// </summary>
public sealed class PurgedTimeFolds
{
    private PurgedTimeFolds(IReadOnlyList<Fold> folds) => Folds = folds;

    public IReadOnlyList<Fold> Folds { get; }

    /// <summary>One fold: the held-out rows and the rows its model may train on (row indexes into the input).</summary>
    public sealed record Fold(int Index, long HeldOutStart, long HeldOutEnd, int[] HeldOut, int[] Train, int Purged, int Embargoed);

    /// <summary>
    /// Builds the folds over rows with the given decision times (Unix seconds, any order; equal times always
    /// land in the same block). <paramref name="purgeSeconds"/>: training rows with a time in
    /// <c>[start - purge, start)</c> of a held-out block are dropped; <paramref name="embargoSeconds"/>: rows in
    /// <c>(end, end + embargo]</c> are dropped.
    /// </summary>
    public static PurgedTimeFolds Create(IReadOnlyList<long> times, int folds, long purgeSeconds, long embargoSeconds)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "at least 2 folds are needed");
        if (purgeSeconds < 0) throw new ArgumentOutOfRangeException(nameof(purgeSeconds), purgeSeconds, "must be >= 0");
        if (embargoSeconds < 0) throw new ArgumentOutOfRangeException(nameof(embargoSeconds), embargoSeconds, "must be >= 0");
        var order = Enumerable.Range(0, times.Count).OrderBy(i => times[i]).ThenBy(i => i).ToArray();
        var distinct = order.Select(i => times[i]).Distinct().Count();
        if (distinct < folds)
            throw new ArgumentException($"{distinct} distinct times cannot make {folds} folds.", nameof(times));

        var bounds = new int[folds + 1];
        bounds[folds] = order.Length;
        for (var k = 1; k < folds; k++)
        {
            var b = Math.Max((int)((long)order.Length * k / folds), bounds[k - 1] + 1);
            while (b < order.Length && b > 0 && times[order[b]] == times[order[b - 1]]) b++;
            bounds[k] = b;
        }

        var result = new List<Fold>(folds);
        for (var k = 0; k < folds; k++)
        {
            if (bounds[k + 1] <= bounds[k])
                throw new ArgumentException($"Fold {k} would be empty: too many rows share the same time.", nameof(times));
            var start = times[order[bounds[k]]];
            var end = times[order[bounds[k + 1] - 1]];
            var heldOut = order[bounds[k]..bounds[k + 1]];
            Array.Sort(heldOut);
            var train = new List<int>(order.Length - heldOut.Length);
            int purged = 0, embargoed = 0;
            for (var r = 0; r < times.Count; r++)
            {
                var t = times[r];
                if (t >= start && t <= end) continue;
                if (t < start && t >= start - purgeSeconds) { purged++; continue; }
                if (t > end && t <= end + embargoSeconds) { embargoed++; continue; }
                train.Add(r);
            }
            result.Add(new Fold(k, start, end, heldOut, train.ToArray(), purged, embargoed));
        }
        return new PurgedTimeFolds(result);
    }
}
