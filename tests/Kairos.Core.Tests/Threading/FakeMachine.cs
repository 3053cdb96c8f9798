using System.Globalization;
using System.Text;
using Kairos.Threading;

namespace Kairos.Tests.Threading;

/// <summary>
/// A machine seen through fake /proc and /sys files and a fake clock: CPUs, the affinity list, a cgroup quota, how busy
/// each CPU is and how much of that is this process. Ticks advance with the clock at 100 per second per CPU;
/// <see cref="Sleep"/> advances the clock (what <see cref="ThreadBudget"/> does between the reads of a fresh sample).
/// </summary>
internal sealed class FakeMachine : TimeProvider
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly double[] _busyTicks;
    private readonly double[] _totalTicks;
    private double _selfTicks;
    private long _now;

    public FakeMachine(int cpus, string allowed)
    {
        _busyTicks = new double[cpus];
        _totalTicks = new double[cpus];
        Busy = new double[cpus];
        _files["/proc/self/status"] = $"Name:\tkairos\nState:\tR (running)\nCpus_allowed:\tff\nCpus_allowed_list:\t{allowed}\nMems_allowed_list:\t0\n";
        _files["/proc/self/cgroup"] = "0::/\n";
    }

    /// <summary>Busy fraction of each CPU (this process included).</summary>
    public double[] Busy { get; }

    /// <summary>Cores' worth of CPU this process uses (part of <see cref="Busy"/>).</summary>
    public double SelfCores { get; set; }

    public int Sleeps { get; private set; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now;

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero).AddTicks(_now);

    public void SetFile(string path, string? text)
    {
        if (text is null) _files.Remove(path);
        else _files[path] = text;
    }

    public void Advance(TimeSpan span)
    {
        var ticks = span.TotalSeconds * 100;
        for (var c = 0; c < Busy.Length; c++)
        {
            _busyTicks[c] += ticks * Busy[c];
            _totalTicks[c] += ticks;
        }
        _selfTicks += ticks * SelfCores;
        _now += span.Ticks;
    }

    public void Sleep(TimeSpan span)
    {
        Sleeps++;
        Advance(span);
    }

    public string? Read(string path) => path switch
    {
        "/proc/stat" => Stat(),
        "/proc/self/stat" => string.Create(CultureInfo.InvariantCulture,
            $"4242 (kairos (a) b) R 1 4242 4242 0 -1 4194304 100 0 0 0 {(long)(_selfTicks * 0.75)} {(long)_selfTicks - (long)(_selfTicks * 0.75)} 0 0 20 0 9 0 1234 0 0"),
        _ => _files.GetValueOrDefault(path),
    };

    public ThreadBudget Budget(TimeSpan? interval = null) => new(new ThreadBudgetOptions
    {
        Time = this, ReadFile = Read, Sleep = Sleep, ProcessorCount = Busy.Length, SampleInterval = interval ?? TimeSpan.FromMilliseconds(200),
        CgroupRoot = "/sys/fs/cgroup",
    });

    private string Stat()
    {
        var s = new StringBuilder();
        var busy = (long)_busyTicks.Sum();
        var idle = (long)_totalTicks.Sum() - busy;
        s.Append(CultureInfo.InvariantCulture, $"cpu  {busy} 0 0 {idle} 0 0 0 0 0 0\n");
        for (var c = 0; c < Busy.Length; c++)
        {
            // user nice system idle iowait irq softirq steal guest guest_nice: busy split over user and system, idle over idle and iowait
            var b = (long)_busyTicks[c];
            var i = (long)_totalTicks[c] - b;
            s.Append(CultureInfo.InvariantCulture, $"cpu{c} {b - b / 3} 0 {b / 3} {i - i / 10} {i / 10} 0 0 0 0 0\n");
        }
        s.Append("intr 1 2 3\nctxt 42\nbtime 1765000000\nprocesses 100\nprocs_running 2\nprocs_blocked 0\n");
        return s.ToString();
    }
}
