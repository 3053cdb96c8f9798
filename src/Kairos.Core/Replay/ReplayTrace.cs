using Kairos.Datasets;

namespace Kairos.Replay;

/// <summary>
/// What happened at every bar of the window, for one model: eligibility, <c>p_long</c> (NaN when the
/// bar was not a candidate) and the trade opened there (+1 long, -1 short, 0 none). Columnar.
/// </summary>
public sealed class ReplayTrace
{
    public ReplayTrace(long[] time, EligibilityReason[] reason, double[] pLong, sbyte[] action)
    {
        if (reason.Length != time.Length || pLong.Length != time.Length || action.Length != time.Length)
            throw new ArgumentException("trace columns must have the same length");
        Time = time;
        Reason = reason;
        PLong = pLong;
        Action = action;
    }

    public long[] Time { get; }
    public EligibilityReason[] Reason { get; }
    public double[] PLong { get; }
    public sbyte[] Action { get; }
    public int Count => Time.Length;
}
