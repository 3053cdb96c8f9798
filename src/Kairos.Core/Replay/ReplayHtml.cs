using System.Globalization;
using Kairos.Reports;

namespace Kairos.Replay;

/// <summary>Replay reports and comparisons as sections of a self-contained HTML page.</summary>
public static class ReplayHtml
{
    /// <summary>Trades listed in the page; the JSON report always holds all of them.</summary>
    public const int MaxListedTrades = 300;

    public static HtmlReport Replay(ReplayReport report)
    {
        var page = new HtmlReport($"Replay: {report.Model.Name} on {report.Symbol}");
        AddReplay(page, report);
        return page;
    }

    public static HtmlReport Comparison(ReplayComparison comparison)
    {
        var page = new HtmlReport($"Replay comparison on {comparison.Symbol}: {comparison.A.Model.Name} (A) vs {comparison.B.Model.Name} (B)");
        AddComparison(page, comparison);
        return page;
    }

    public static void AddReplay(HtmlReport page, ReplayReport r)
    {
        page.Heading("Summary");
        page.KeyValues(ModelRows(r.Model).Concat(
        [
            ("symbol", r.Symbol),
            ("window", $"{r.Window.FirstBar ?? "-"} .. {r.Window.LastBar ?? "-"} ({r.Window.BarsInWindow} bars; {r.Window.WarmupBars} warm-up bars before)"),
            ("candidates (eligible, scored)", Int(r.Candidates)),
            ("signals long / short", $"{r.LongSignals} / {r.ShortSignals}"),
            ("trades created (long / short)", $"{r.Trades.Created} ({r.Trades.Long} / {r.Trades.Short})"),
            ("signals blocked by an open trade", Int(r.Trades.BlockedByOpenTrade)),
            ("goes-against-us rate", Rate(r.Trades.All.GoesAgainstUsRate)),
            ("uses context", UsesContext(r.Context.UsesContext)),
            ("entry rule", EntryRule(r.Options)),
        ]));
        page.Heading("Eligibility in the window", 3);
        page.Table(["reason", "bars"], r.Eligibility.Where(e => e.Value > 0).Select(e => (IReadOnlyList<HtmlCell>)[e.Key, Num(e.Value)]));

        page.Heading("Predicted p_long");
        page.Table(["model", .. SummaryHeader], [[r.Model.Name, .. SummaryCells(r.PLong)]]);
        if (r.Candidates > 0)
        {
            page.Image(ReplayPlots.PLongHistogram([r]), "p_long histogram", "Distribution of p_long over candidate bars, with the entry thresholds.");
            page.Heading("p_long by context", 3);
            AddContextTables(page, [r]);
            page.Image(ReplayPlots.PLongByContext([r]), "p_long by context", "Box: 25-75 %, whiskers: 5-95 %, line: median.");
        }

        page.Heading("Trades and entry quality");
        AddQualityTable(page, [r]);
        if (r.Trades.Complete > 0)
            page.Image(ReplayPlots.TradeExcursions([r]), "trade MAE and MFE", "Each point is a complete trade.");
        AddTradeList(page, r);
    }

    public static void AddComparison(HtmlReport page, ReplayComparison c)
    {
        page.Heading("Replay comparison");
        page.KeyValues(
        [
            ("symbol", c.Symbol),
            ("window", $"{c.Window.FirstBar ?? "-"} .. {c.Window.LastBar ?? "-"} ({c.Window.BarsInWindow} bars)"),
            ("A", Describe(c.A.Model)),
            ("B", Describe(c.B.Model)),
            ("entry rule", EntryRule(c.B.Options)),
        ]);
        page.Table(["metric", "A", "B", "B - A", "better"], c.Rows.Select(row => (IReadOnlyList<HtmlCell>)
        [
            row.Metric, Num(row.A), Num(row.B), Num(row.Delta),
            new HtmlCell(row.Better ?? "", row.Better switch { "b" => "good", "a" => "bad", _ => "muted" }),
        ]), "Side by side (better: the side a metric with a preferred direction favours)");
        var ag = c.Agreement;
        page.Table(["agreement", "value"],
        [
            ["common candidates", Num(ag.CommonCandidates)],
            ["candidates only A / only B", $"{ag.CandidatesOnlyA} / {ag.CandidatesOnlyB}"],
            ["p_long correlation (common candidates)", Num(ag.PLongCorrelation)],
            ["mean |p_long B - p_long A|", Num(ag.MeanAbsPLongDifference)],
            ["trades at the same bar, same direction", Num(ag.TradesSameBarSameDirection)],
            ["trades at the same bar, opposite direction", Num(ag.TradesSameBarOppositeDirection)],
            ["trades only A / only B", $"{ag.TradesOnlyA} / {ag.TradesOnlyB}"],
        ]);
        IReadOnlyList<ReplayReport> both = [c.A, c.B];
        if (c.A.Candidates + c.B.Candidates > 0)
        {
            page.Image(ReplayPlots.PLongHistogram(both), "p_long histogram, A and B");
            page.Heading("p_long by context, A and B", 3);
            AddContextTables(page, both);
            page.Image(ReplayPlots.PLongByContext(both), "p_long by context, A and B", "Box: 25-75 %, whiskers: 5-95 %, line: median; n = A/B.");
        }
        page.Heading("Entry quality, A and B", 3);
        AddQualityTable(page, both);
        if (c.A.Trades.Complete + c.B.Trades.Complete > 0)
            page.Image(ReplayPlots.TradeExcursions(both), "trade MAE and MFE, A and B");
    }

    private static void AddContextTables(HtmlReport page, IReadOnlyList<ReplayReport> reports)
    {
        foreach (var name in reports[0].Context.Groupings.Select(g => g.Name))
        {
            var rows = new List<IReadOnlyList<HtmlCell>>();
            foreach (var r in reports)
            {
                var g = r.Context.Groupings.First(x => x.Name == name);
                foreach (var b in g.Buckets) rows.Add([r.Model.Name, b.Name, .. SummaryCells(b.PLong)]);
            }
            page.Table(["model", name, .. SummaryHeader], rows, $"p_long by {name}");
            var tests = new List<IReadOnlyList<HtmlCell>>();
            foreach (var r in reports)
            {
                var g = r.Context.Groupings.First(x => x.Name == name);
                tests.Add(g.Test is { } t
                    ? [r.Model.Name, Num(t.Statistic), Num(t.EtaSquared), Num(t.MaxMeanGap), Num(t.PermutationMean), Num(t.PermutationP95), Num(t.PValue), Num(t.Permutations), UsesContext(t.UsesContext)]
                    : [r.Model.Name, "-", "-", "-", "-", "-", "-", "-", new HtmlCell(g.Note ?? "no test", "muted")]);
            }
            page.Table(["model", "between-bucket var", "eta squared", "max mean gap", "permuted mean", "permuted p95", "p-value", "permutations", "uses context"],
                tests, $"Does p_long depend on {name}? (alpha {reports[0].Options.ContextAlpha}, min eta squared {reports[0].Options.MinContextEffect})");
        }
    }

    private static void AddQualityTable(HtmlReport page, IReadOnlyList<ReplayReport> reports)
    {
        var rows = new List<IReadOnlyList<HtmlCell>>();
        foreach (var r in reports)
            foreach (var (side, q) in new[] { ("all", r.Trades.All), ("long", r.Trades.LongTrades), ("short", r.Trades.ShortTrades) })
                rows.Add([r.Model.Name, side, Num(q.Trades), Num(q.MaeAtr.Mean), Num(q.MaeAtr.P50), Num(q.MfeAtr.Mean), Num(q.MfeAtr.P50), Num(q.QualityAtr.Mean), Num(q.WentAgainst), Rate(q.GoesAgainstUsRate)]);
        var bars = reports[0].Options.EntryQualityBars;
        page.Table(["model", "side", "complete trades", "MAE mean", "MAE median", "MFE mean", "MFE median", "MFE - MAE mean", "went against", "goes-against-us rate"],
            rows, $"Entry quality over the first {bars} bars, ATR units net of spread and costs");
        var counts = reports.Select(r => (IReadOnlyList<HtmlCell>)[r.Model.Name, Num(r.Trades.Created), Num(r.Trades.Complete), Num(r.Trades.EndOfData), Num(r.Trades.CrossesGap)]).ToList();
        page.Table(["model", "created", "complete", "window cut by end of data", "window crosses a data gap"], counts, "Trades measured");
    }

    private static void AddTradeList(HtmlReport page, ReplayReport r)
    {
        if (r.TradeList.Count == 0) return;
        page.Heading("Trades", 3);
        if (r.TradeList.Count > MaxListedTrades)
            page.Paragraph($"The first {MaxListedTrades} of {r.TradeList.Count} trades; replay.json lists all of them.", "muted");
        page.Table(["time (UTC)", "side", "p", "entry", "spread bps", "ATR bps", "MAE", "MFE", "against", "decided at bar", "status"],
            r.TradeList.Take(MaxListedTrades).Select(t => (IReadOnlyList<HtmlCell>)
            [
                t.TimeUtc, t.Direction == TradeDirection.Long ? "long" : "short", Num(t.Probability), Num(t.EntryPrice, "0.00000"), Num(t.SpreadBps),
                Num(t.AtrBps), Num(t.MaeAtr), Num(t.MfeAtr), t.WentAgainst ? new HtmlCell("yes", "bad") : new HtmlCell("no", "good"),
                t.DecidedAtBar?.ToString(CultureInfo.InvariantCulture) ?? "-", t.Status.ToString(),
            ]));
    }

    private static readonly string[] SummaryHeader = ["n", "mean", "std", "p05", "p25", "median", "p75", "p95"];

    private static HtmlCell[] SummaryCells(DistributionSummary s) =>
        [Num(s.Count), Num(s.Mean), Num(s.Std), Num(s.P05), Num(s.P25), Num(s.P50), Num(s.P75), Num(s.P95)];

    private static IEnumerable<(string, HtmlCell)> ModelRows(ReplayModelInfo m)
    {
        yield return ("model", m.Name);
        if (m.BundleId is not null) yield return ("bundle id", m.BundleId);
        if (m.BundlePath is not null) yield return ("bundle path", m.BundlePath);
        if (m.FeatureContractHash is not null) yield return ("feature contract hash", m.FeatureContractHash);
        if (m.ModelVariant is not null) yield return ("model variant", m.ModelVariant);
        if (DescribePLong(m) is { } pLong) yield return ("p_long source", pLong);
    }

    /// <summary>Which model gave a bundle's <c>p_long</c> and why (<see cref="ReplayModelInfo.PLongReason"/>); null for a model that is not a bundle.</summary>
    public static string? DescribePLong(ReplayModelInfo m) =>
        m.PLongSource is { } source ? Describe(source) + (m.PLongReason is { } reason ? $"; {reason}" : "") : null;

    /// <summary>Which model gave <c>p_long</c>, as the pages and the console say it.</summary>
    public static string Describe(PLongSource source) => source switch
    {
        PLongSource.Hybrid => "hybrid (direction head)",
        PLongSource.Trees => "trees (calibrated p_cal)",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    private static string Describe(ReplayModelInfo m) =>
        string.Join(", ", new[]
        {
            m.Name, m.BundleId is null ? null : $"bundle {m.BundleId}", m.FeatureContractHash is null ? null : $"contract {m.FeatureContractHash}",
            m.PLongSource is { } source ? $"p_long {Describe(source)}" : null,
        }.OfType<string>());

    private static string EntryRule(ReplayOptions o)
    {
        var shorts = o.AllowShort ? FormattableString.Invariant($"short when p_short >= {o.ShortThreshold}; ") : "no shorts; ";
        var spread = o.ConstantSpreadBps is { } s ? FormattableString.Invariant($"constant {s} bps") : "per bar";
        return FormattableString.Invariant($"long when p_long >= {o.LongThreshold}; {shorts}") +
            (o.OnePositionAtATime ? "one position at a time; " : "") +
            FormattableString.Invariant($"costs {o.CommissionBps + o.SlippageBps} bps + spread ({spread}); ") +
            FormattableString.Invariant($"quality over {o.EntryQualityBars} bars, against at {o.AdverseAtr} ATR adverse before {o.FavourableAtr} ATR favourable");
    }

    private static HtmlCell UsesContext(bool? uses) => uses switch
    {
        true => new HtmlCell("yes", "good"),
        false => new HtmlCell("no", "warn"),
        null => new HtmlCell("not tested", "muted"),
    };

    private static HtmlCell Rate(double? rate) => rate is { } v ? new HtmlCell(v.ToString("P1", CultureInfo.InvariantCulture), "num") : new HtmlCell("-", "muted");

    private static HtmlCell Int(long v) => new(v.ToString(CultureInfo.InvariantCulture), "num");

    private static HtmlCell Num(double? v, string format = "0.####") => v switch
    {
        null => new HtmlCell("-", "muted"),
        // Tiny statistics (between-bucket variances) would print as 0 with four decimals.
        { } x when x != 0 && Math.Abs(x) < 1e-3 => new HtmlCell(x.ToString("0.###E+0", CultureInfo.InvariantCulture), "num"),
        { } x => new HtmlCell(x.ToString(format, CultureInfo.InvariantCulture), "num"),
    };
}
