using Kairos.Errors;

namespace Kairos.Datasets;

/// <summary>
/// Assigns samples (in time order) to train / val / test and forward-chaining folds with a purge before
/// each boundary (no training label may reach into the next split) and an embargo after it.
/// </summary>
internal static class SplitPlanner
{
    public static SplitFile Plan(ReadOnlySpan<long> times, DatasetConfig config)
    {
        var s = config.Splits;
        var barSeconds = (long)config.BarSize.TotalSeconds;
        if (s.Method == SplitMethod.File)
        {
            var file = SplitFile.Load(s.File!);
            var problems = new List<string>();
            if (file.BarSeconds != barSeconds) problems.Add($"split file bar size {file.BarSeconds} s differs from the configured {barSeconds} s");
            if (file.PurgeBars < config.Labels.Horizon) problems.Add($"split file purge {file.PurgeBars} bars is shorter than the label horizon {config.Labels.Horizon}");
            if (problems.Count > 0) throw new ConfigException(s.File!, problems);
            return file;
        }
        if (times.Length == 0) throw new ConfigException("splits", ["no eligible samples to split"]);
        long valStart, testStart;
        if (s.Method == SplitMethod.Dates)
        {
            valStart = ToUnix(s.ValStart!.Value);
            testStart = ToUnix(s.TestStart!.Value);
        }
        else
        {
            var n = times.Length;
            valStart = times[Math.Min(n - 1, (int)Math.Floor(n * s.Train))];
            testStart = s.Test == 0 ? times[n - 1] + barSeconds : times[Math.Min(n - 1, (int)Math.Floor(n * (s.Train + s.Val)))];
            if (s.Val == 0) valStart = testStart;
        }
        var folds = new List<FoldBoundary>();
        if (s.Folds > 1)
        {
            var dev = 0;
            while (dev < times.Length && times[dev] < testStart) dev++;
            var blocks = s.Folds + 1;
            if (dev < blocks * 2) throw new ConfigException("splits", [$"splits.folds: {s.Folds} folds need at least {blocks * 2} samples before the test split, found {dev}"]);
            for (var k = 1; k <= s.Folds; k++)
            {
                var start = times[(int)((long)dev * k / blocks)];
                var end = k == s.Folds ? testStart : times[(int)((long)dev * (k + 1) / blocks)];
                folds.Add(new FoldBoundary($"fold_{k}", start, end));
            }
        }
        return new SplitFile
        {
            BarSeconds = barSeconds,
            PurgeBars = config.PurgeBars,
            EmbargoBars = s.EmbargoBars,
            ValStart = valStart,
            TestStart = testStart,
            Folds = folds,
        };
    }

    /// <summary>
    /// Samples with time in [start + embargo, end - purge) whose labels end before <paramref name="end"/>.
    /// Counts those lost to the purge and to the embargo.
    /// </summary>
    public static SplitSelection Select(ReadOnlySpan<long> times, ReadOnlySpan<long> labelEnds, long start, long end, SplitFile plan, bool embargoAtStart)
    {
        var purge = plan.PurgeBars * plan.BarSeconds;
        var embargo = embargoAtStart ? plan.EmbargoBars * plan.BarSeconds : 0;
        var rows = new List<int>();
        int purged = 0, embargoed = 0;
        for (var i = 0; i < times.Length; i++)
        {
            var t = times[i];
            if (t < start || t >= end) continue;
            if (t < start + embargo) embargoed++;
            else if (t >= end - purge || labelEnds[i] >= end) purged++;
            else rows.Add(i);
        }
        return new SplitSelection(rows.ToArray(), purged, embargoed);
    }

    private static long ToUnix(DateTime d) => (long)(d - DateTime.UnixEpoch).TotalSeconds;
}
