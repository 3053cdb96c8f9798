namespace Kairos.Replay;

/// <summary>
/// Two models replayed on the same bars, side by side (design notes: 1-week replay comparison of a new
/// bundle against the baseline): candidates, trades, entry quality, goes-against-us rate, <c>p_long</c>
/// and its use of context, and how their decisions agree. Serialised as <c>comparison.json</c>.
/// </summary>
public sealed record ReplayComparison
{
    public const int CurrentSchemaVersion = 2;
    public const int CurrentMinReaderVersion = 1;

    public string Kind { get; init; } = "kairos.replay_comparison";
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public int MinReaderVersion { get; init; } = CurrentMinReaderVersion;
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Symbol { get; init; }
    public required ReplayWindowSummary Window { get; init; }
    public required IReadOnlyList<ComparisonRow> Rows { get; init; }
    public required ReplayAgreement Agreement { get; init; }
    public required ReplayReport A { get; init; }
    public required ReplayReport B { get; init; }

    public static ReplayComparison Create(ReplayReport a, ReplayReport b)
    {
        if (a.Symbol != b.Symbol || a.BarSeconds != b.BarSeconds)
            throw new ArgumentException($"cannot compare {a.Symbol}/{a.BarSeconds}s with {b.Symbol}/{b.BarSeconds}s");
        if (a.Window.BarsInWindow != b.Window.BarsInWindow || a.Window.FirstBar != b.Window.FirstBar || a.Window.LastBar != b.Window.LastBar)
            throw new ArgumentException("the two replays cover different bars: compare needs both models on the same window");
        if (a.Trace is null || b.Trace is null)
            throw new ArgumentException("comparison needs the per-bar traces of both replays (run them in this process)");
        var rows = new List<ComparisonRow>();
        void Row(string metric, double? va, double? vb, int preferred)
        {
            double? delta = va is { } x && vb is { } y ? y - x : null;
            string? better = null;
            if (preferred != 0 && delta is { } d)
                better = Math.Abs(d) <= 1e-12 ? "same" : (d > 0) == (preferred > 0) ? "b" : "a";
            rows.Add(new ComparisonRow(metric, va, vb, delta, better));
        }
        Row("candidates", a.Candidates, b.Candidates, 0);
        Row("long_signals", a.LongSignals, b.LongSignals, 0);
        Row("short_signals", a.ShortSignals, b.ShortSignals, 0);
        Row("trades_created", a.Trades.Created, b.Trades.Created, 0);
        Row("trades_long", a.Trades.Long, b.Trades.Long, 0);
        Row("trades_short", a.Trades.Short, b.Trades.Short, 0);
        Row("trades_complete", a.Trades.Complete, b.Trades.Complete, 0);
        Row("mae_atr_mean", a.Trades.All.MaeAtr.Mean, b.Trades.All.MaeAtr.Mean, -1);
        Row("mae_atr_median", a.Trades.All.MaeAtr.P50, b.Trades.All.MaeAtr.P50, -1);
        Row("mfe_atr_mean", a.Trades.All.MfeAtr.Mean, b.Trades.All.MfeAtr.Mean, +1);
        Row("mfe_atr_median", a.Trades.All.MfeAtr.P50, b.Trades.All.MfeAtr.P50, +1);
        Row("quality_atr_mean", a.Trades.All.QualityAtr.Mean, b.Trades.All.QualityAtr.Mean, +1);
        Row("goes_against_us_rate", a.Trades.All.GoesAgainstUsRate, b.Trades.All.GoesAgainstUsRate, -1);
        Row("p_long_mean", a.PLong.Mean, b.PLong.Mean, 0);
        Row("p_long_std", a.PLong.Std, b.PLong.Std, 0);
        foreach (var (ga, gb) in a.Context.Groupings.Zip(b.Context.Groupings))
        {
            Row($"{ga.Name}_eta_squared", ga.Test?.EtaSquared, gb.Test?.EtaSquared, 0);
            Row($"{ga.Name}_p_value", ga.Test?.PValue, gb.Test?.PValue, 0);
        }
        return new ReplayComparison
        {
            CreatedAt = b.CreatedAt > a.CreatedAt ? b.CreatedAt : a.CreatedAt,
            Symbol = a.Symbol,
            Window = a.Window,
            Rows = rows,
            Agreement = ReplayAgreement.Of(a.Trace, b.Trace),
            A = a,
            B = b,
        };
    }
}
