using System.Globalization;

namespace Kairos.Threading;

/// <summary>
/// Parsers of the Linux files <see cref="ThreadBudget"/> reads: the CPUs a process may run on
/// (<c>Cpus_allowed_list</c> of /proc/self/status), per-CPU time (/proc/stat), the process's own CPU time
/// (/proc/self/stat) and the cgroup CPU quota (v2 <c>cpu.max</c>, v1 <c>cpu.cfs_quota_us</c> / <c>cpu.cfs_period_us</c>).
/// Times are in clock ticks (USER_HZ) throughout, so no tick rate is needed.
/// </summary>
internal static class ProcCpu
{
    /// <summary>The CPU numbers of a list such as <c>0-3,6,8-9</c>; null when it cannot be read.</summary>
    public static SortedSet<int>? AllowedCpus(string? status)
    {
        if (status is null) return null;
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)) continue;
            var cpus = new SortedSet<int>();
            foreach (var part in line["Cpus_allowed_list:".Length..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var range = part.Split('-');
                if (!int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)) return null;
                var to = from;
                if (range.Length == 2 && !int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out to)) return null;
                if (range.Length > 2 || to < from) return null;
                for (var c = from; c <= to; c++) cpus.Add(c);
            }
            return cpus.Count > 0 ? cpus : null;
        }
        return null;
    }

    /// <summary>Busy and total ticks summed over <paramref name="cpus"/> (busy: everything but idle and iowait); null when unreadable.</summary>
    public static (long Busy, long Total)? CpuTicks(string? stat, IReadOnlySet<int> cpus)
    {
        if (stat is null) return null;
        long busy = 0, total = 0;
        var seen = 0;
        foreach (var line in stat.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsAsciiDigit(line[3])) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!int.TryParse(fields[0].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var cpu) || !cpus.Contains(cpu)) continue;
            // user nice system idle iowait irq softirq steal [guest guest_nice: already inside user and nice]
            var values = new long[8];
            for (var i = 0; i < values.Length && i + 1 < fields.Length; i++)
                if (!long.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out values[i])) return null;
            var idle = values[3] + values[4];
            var all = values.Sum();
            busy += all - idle;
            total += all;
            seen++;
        }
        return seen == 0 ? null : (busy, total);
    }

    /// <summary>User plus system ticks of the process (fields 14 and 15 of /proc/self/stat); null when unreadable.</summary>
    public static long? ProcessTicks(string? stat)
    {
        if (stat is null) return null;
        var end = stat.LastIndexOf(')');
        if (end < 0) return null;
        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        if (fields.Length < 13) return null;
        return long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
               && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? user + system
            : null;
    }

    /// <summary>
    /// The tightest CPU quota, in cores, on the process's cgroup or any ancestor (v2 <c>cpu.max</c>; v1 <c>cpu.cfs_quota_us</c>
    /// over <c>cpu.cfs_period_us</c> in the <c>cpu</c> controller's hierarchy); null when none is set.
    /// </summary>
    public static double? CpuQuota(string? cgroups, string root, Func<string, string?> read)
    {
        if (cgroups is null) return null;
        double? tightest = null;
        void Take(double? q)
        {
            if (q is > 0 && (tightest is null || q < tightest)) tightest = q;
        }
        foreach (var line in cgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            var path = parts[2].Trim();
            if (parts[0] == "0" && parts[1].Length == 0)
            {
                foreach (var dir in SelfAndAncestors(root, path)) Take(CpuMax(read(Path.Combine(dir, "cpu.max"))));
            }
            else if (parts[1].Split(',').Contains("cpu"))
            {
                foreach (var mount in new[] { Path.Combine(root, parts[1]), Path.Combine(root, "cpu"), Path.Combine(root, "cpu,cpuacct") }.Distinct())
                    foreach (var dir in SelfAndAncestors(mount, path))
                        Take(CfsQuota(read(Path.Combine(dir, "cpu.cfs_quota_us")), read(Path.Combine(dir, "cpu.cfs_period_us"))));
            }
        }
        return tightest;
    }

    private static IEnumerable<string> SelfAndAncestors(string mount, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var n = segments.Length; n >= 0; n--)
            yield return n == 0 ? mount : Path.Combine(mount, Path.Combine(segments[..n]));
    }

    private static double? CpuMax(string? text)
    {
        var f = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (f is not { Length: 2 } || f[0] == "max") return null;
        return double.TryParse(f[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var quota)
               && double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var period) && period > 0
            ? quota / period
            : null;
    }

    private static double? CfsQuota(string? quotaText, string? periodText) =>
        double.TryParse(quotaText?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var quota) && quota > 0
        && double.TryParse(periodText?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var period) && period > 0
            ? quota / period
            : null;
}
