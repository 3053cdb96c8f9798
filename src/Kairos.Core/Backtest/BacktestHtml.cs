using System.Globalization;
using Kairos.Reports;

namespace Kairos.Backtest;

/// <summary>The backtest's HTML: a page of its own, or a section of the run report (<see cref="AddBacktest"/>).</summary>
public static class BacktestHtml
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The most trades listed on the page (the JSON lists all).</summary>
    public const int MaxTradesListed = 300;

    public static HtmlReport Backtest(BacktestResult r)
    {
        var page = new HtmlReport($"kairos backtest: {r.Symbol}");
        AddBacktest(page, r, includeTrades: true);
        return page;
    }

    /// <summary>
    /// Rules, totals, equity and drawdown figures, baselines, breakdowns and (optionally) the trade list. A result read back
    /// from <c>backtest.json</c> has no curve: its figures are taken from <paramref name="directory"/>.
    /// </summary>
    public static void AddBacktest(HtmlReport page, BacktestResult r, bool includeTrades, string? directory = null)
    {
        var t = r.Totals;
        var o = r.Options;
        page.Paragraph($"Candidates: {r.CandidatesSource}. Prices: bid bars, ask from {r.AskSource.Replace('_', ' ')}. Curve {r.FirstBar} .. {r.LastBar}.");
        page.KeyValues(
        [
            ("rules", string.Create(C, $"long p_long >= {o.LongThreshold}, short 1 - p_long >= {o.ShortThreshold}{(o.AllowShort ? "" : " (shorts off)")}; entry {Snake(o.Entry)}; horizon {o.HorizonBars} bars; stop {Opt(o.StopLossAtr)} ATR, target {Opt(o.TakeProfitAtr)} ATR; exit on opposite {o.ExitOnOpposite}; max positions {o.MaxPositions}")),
            ("costs", string.Create(C, $"commission {o.CommissionBps} bps per side, slippage {o.SlippageBps} bps per fill, spread {(o.ConstantSpreadBps is { } s ? $"{s} bps constant" : "from the bars")}")),
            ("sizing", string.Create(C, $"{Snake(o.Sizing)} ({(o.Sizing == PositionSizing.FixedUnits ? $"{o.Units} units" : $"{o.RiskFraction:P2} of equity at risk")}), initial capital {o.InitialCapital:N0}")),
            ("signals", $"{r.Signals.Candidates:N0} candidates, {r.Signals.LongSignals:N0} long / {r.Signals.ShortSignals:N0} short signals, {r.Signals.Trades:N0} trades; skipped: {r.Signals.SkippedOpenPosition:N0} open position, {r.Signals.SkippedNoNextBar} no next bar, {r.Signals.SkippedNoAtr} no ATR"),
        ]);
        page.Table(["net P&L", "return", "CAGR", "Sharpe", "Sortino", "max drawdown", "drawdown days", "profit factor", "win rate", "expectancy bps (95 % CI)", "exposure", "turnover", "costs paid"],
        [
            [
                N(t.NetPnl, "N2", t.NetPnl < 0 ? "bad" : "good"), N(t.Return, "P2"), N(t.Cagr, "P2"), N(t.Sharpe, "F2"), N(t.Sortino, "F2"), N(t.MaxDrawdown.Depth, "P2"),
                N(t.MaxDrawdown.DurationDays, "F1"), N(t.ProfitFactor, "F2"), N(t.WinRate, "P1"),
                new HtmlCell(t.ExpectancyBps is { } e ? string.Create(C, $"{e:F2}{(t.ExpectancyInterval is { } ci ? $" ({ci.Lower:F2} .. {ci.Upper:F2})" : "")}") : "n/a", "num"),
                N(t.Exposure, "P1"), N(t.Turnover, "F1"), N(t.CostsPaid.Total, "N2"),
            ],
        ], string.Create(C, $"{t.Trades:N0} trades ({t.Long:N0} long, {t.Short:N0} short) over {t.Bars:N0} bars, {t.Years:F2} years ({t.BarsPerYear:N0} bars a year observed); costs paid: commission {t.CostsPaid.Commission:N2}, slippage {t.CostsPaid.Slippage:N2}, spread {t.CostsPaid.Spread:N2}"));
        const string equityCaption = "Equity after spread, commission and slippage, marked at every bar's close (longs at the bid, shorts at the ask).";
        const string drawdownCaption = "Drawdown from the running peak of the equity curve.";
        if (r.CurveEquity.Length > 0)
        {
            page.Image(BacktestPlots.Equity(r), "equity curve", equityCaption);
            page.Image(BacktestPlots.Drawdown(r), "drawdown", drawdownCaption);
        }
        else if (directory is not null && File.Exists(Path.Combine(directory, "equity.png")) && File.Exists(Path.Combine(directory, "drawdown.png")))
        {
            page.ImageFile(Path.Combine(directory, "equity.png"), "equity curve", equityCaption);
            page.ImageFile(Path.Combine(directory, "drawdown.png"), "drawdown", drawdownCaption);
        }
        var baselines = new List<IReadOnlyList<HtmlCell>>
        {
            new HtmlCell[] { "strategy", N(t.Return, "P2"), N(t.ExpectancyBps, "F2"), N(t.Sharpe, "F2"), N(t.MaxDrawdown.Depth, "P2"), "" },
        };
        if (r.BuyAndHold is { } b)
            baselines.Add(new HtmlCell[] { "buy and hold", N(b.Return, "P2"), N(b.NetBps, "F2"), N(b.Sharpe, "F2"), N(b.MaxDrawdown, "P2"), "whole capital, one round trip" });
        if (r.RandomEntries is { } rnd)
            baselines.Add(new HtmlCell[]
            {
                $"random entries ({rnd.Draws:N0} draws)", "", N(rnd.P50NetBps, "F2"), "", "",
                string.Create(C, $"p05 {rnd.P05NetBps:F2}, p95 {rnd.P95NetBps:F2} bps per trade; strategy at percentile {rnd.StrategyPercentile:F1}"),
            });
        page.Table(["", "return", "bps per trade", "Sharpe", "max drawdown", "note"], baselines, "Baselines: the same bars and costs.");
        if (r.Breakdowns.Count > 0)
            page.Table(["grouping", "bucket", "trades", "win rate", "mean net bps", "net P&L"], r.Breakdowns.Select(x => (IReadOnlyList<HtmlCell>)
            [
                x.Grouping, x.Bucket, N(x.Trades, "N0"), N(x.WinRate, "P1"), N(x.MeanNetBps, "F2"), N(x.NetMoney, "N2", x.NetMoney < 0 ? "bad" : null),
            ]), "By session, volatility regime, direction and month of the decision bar.");
        if (!includeTrades || r.Trades.Count == 0) return;
        page.Table(["decision", "entry", "exit", "side", "p_long", "entry price", "exit price", "units", "gross bps", "net bps", "net P&L", "exit", "bars", "MAE bps", "MFE bps", "session", "vol regime"],
            r.Trades.Take(MaxTradesListed).Select(x => (IReadOnlyList<HtmlCell>)
            [
                x.DecisionTime, x.EntryTime, x.ExitTime, Snake(x.Side), N(x.PLong, "F3"), N(x.EntryPrice, "G8"), N(x.ExitPrice, "G8"), N(x.Units, "G6"),
                N(x.GrossBps, "F2"), N(x.NetBps, "F2", x.NetBps < 0 ? "bad" : "good"), N(x.NetMoney, "N2"), Snake(x.ExitReason), N(x.BarsHeld, "N0"),
                N(x.MaeBps, "F1"), N(x.MfeBps, "F1"), x.Session, x.VolRegime,
            ]), r.Trades.Count > MaxTradesListed ? $"The first {MaxTradesListed} of {r.Trades.Count:N0} trades (backtest.json lists all)." : $"{r.Trades.Count:N0} trades.");
    }

    public static HtmlReport Sweep(SweepResult s)
    {
        var page = new HtmlReport($"kairos backtest --sweep: {s.Symbol}");
        page.Paragraph($"Candidates: {s.CandidatesSource}. {s.Rows.Count:N0} settings of {string.Join(" x ", s.Axes.Select(a => $"{a.Key} ({a.Values.Count})"))} over {s.Bars:N0} bars.");
        var best = s.Rows[s.Best];
        var pairs = new List<(string, HtmlCell)>
        {
            ("best setting (Sharpe)", string.Join(", ", best.Settings.Select(kv => string.Create(C, $"{kv.Key} = {kv.Value}")))),
            ("its Sharpe / net P&L", string.Create(C, $"{N(best.Sharpe, "F2").Text} / {best.NetPnl:N2}")),
        };
        if (s.DeflatedSharpe is { } d)
            pairs.Add(("deflated Sharpe ratio", new HtmlCell(string.Create(C, $"{d.Dsr:F4} (per-bar SR {d.Sharpe:F5} against SR0 {d.ExpectedMaxSharpe:F5}, the best of {d.Trials} lucky settings; PSR {d.Psr:F4})"), d.Dsr >= 0.95 ? "good" : "bad")));
        if (s.Pbo is { } p)
            pairs.Add(("probability of backtest overfitting", new HtmlCell(string.Create(C, $"{p.Pbo:F3} over {p.Splits:N0} splits of {p.Blocks} blocks; P(loss out of sample) {p.ProbabilityOfLoss:F3}"), p.Pbo <= 0.2 ? "good" : "bad")));
        foreach (var note in s.Notes) pairs.Add(("note", note));
        page.KeyValues(pairs);
        var keys = s.Axes.Select(a => a.Key).ToList();
        page.Table([.. keys, "trades", "net P&L", "return", "Sharpe", "max drawdown", "expectancy bps", "win rate", "profit factor"], s.Rows.Select((row, k) =>
        {
            var cells = keys.Select(key => new HtmlCell(row.Settings[key].ToString("G", C), k == s.Best ? "good" : "num")).ToList();
            cells.AddRange([N(row.Trades, "N0"), N(row.NetPnl, "N2"), N(row.Return, "P2"), N(row.Sharpe, "F2"), N(row.MaxDrawdown, "P2"), N(row.ExpectancyBps, "F2"), N(row.WinRate, "P1"), N(row.ProfitFactor, "F2")]);
            return (IReadOnlyList<HtmlCell>)cells;
        }));
        return page;
    }

    private static string Snake<T>(T value) where T : struct, Enum => Datasets.YamlSection.Snake(value.ToString()!);

    private static string Opt(double? v) => v is { } x ? x.ToString("G", C) : "none";

    private static HtmlCell N(double? v, string format, string? style = null) =>
        new(v is { } x && double.IsFinite(x) ? x.ToString(format, C) : "n/a", style ?? "num");
}
