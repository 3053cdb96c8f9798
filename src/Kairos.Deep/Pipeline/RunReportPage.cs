using System.Globalization;
using Kairos.Backtest;
using Kairos.Evaluation;
using Kairos.Promotion;
using Kairos.Replay;
using Kairos.Reports;
using Kairos.Trees;
using Kairos.Search;

namespace Kairos.Pipeline;

/// <summary>
/// The one self-contained HTML page of a run (<c>out/runs/&lt;run_id&gt;/report.html</c>): outcome and stage timings,
/// dataset, trees, hybrid loss curves, evaluation with reliability diagrams, the gate table, latency, and the replay
/// (p_long by context, trade MAE/MFE, previous best vs candidate). Built from <see cref="HtmlReport"/> and the
/// evaluation and replay plots; images are embedded, nothing is loaded from elsewhere.
/// </summary>
internal static class RunReportPage
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static HtmlReport Build(RunReportInputs r)
    {
        var page = new HtmlReport($"kairos run {r.RunId}: {string.Join(", ", r.Config.Symbols)} ({Path.GetFileName(r.Config.ConfigFile)})");
        Outcome(page, r);
        Stages(page, r);
        Dataset(page, r);
        Trees(page, r);
        Hybrid(page, r);
        Evaluation(page, r);
        Models(page, r);
        if (r.WalkForward is { } walkForward) WalkForwardReportSection.Add(page, walkForward);
        Gate(page, r);
        Latency(page, r);
        Replays(page, r);
        Backtests(page, r);
        return page;
    }

    /// <summary>The replay of each symbol; with several symbols a table of the symbols first, then each symbol's replay.</summary>
    private static void Replays(HtmlReport page, RunReportInputs r)
    {
        var baseline = r.Replays.Count > 0 && r.Replays[0].Comparison is not null;
        page.Heading("Replay");
        page.Paragraph((baseline
            ? $"Previous best {r.Gate.BaselineVersion} (A) and the candidate (B) on the same bars: the last {Days(r.Config.ReplayWindow)} of the snapshot"
            : $"The candidate alone on the last {Days(r.Config.ReplayWindow)} of the snapshot (no previous best to compare with)")
            + (r.Replays.Count > 1 ? $", each of the {r.Replays.Count} symbols on its own bars (a pooled model scores each as its symbol_id)." : $". Directory: {r.Replays.FirstOrDefault()?.Directory}"));
        if (r.Replays.Count > 1)
            page.Table(["symbol", "bars in window", "candidates", "trades (candidate)", "goes-against-us rate", "trades (previous best)", "p_long correlation", "directory"],
                r.Replays.Select(x => (IReadOnlyList<HtmlCell>)
                [
                    x.Symbol, x.Candidate.Window.BarsInWindow.ToString("N0", C), x.Candidate.Candidates.ToString("N0", C), x.Candidate.Trades.Created.ToString(C),
                    x.Candidate.Trades.All.GoesAgainstUsRate is { } g ? g.ToString("F3", C) : "n/a",
                    x.Comparison is { } c ? c.A.Trades.Created.ToString(C) : "",
                    x.Comparison?.Agreement.PLongCorrelation is { } pc ? pc.ToString("F3", C) : "",
                    x.Directory,
                ]), "replay per symbol");
        foreach (var x in r.Replays)
        {
            if (r.Replays.Count > 1) page.Heading($"Replay: {x.Symbol}");
            if (x.Comparison is { } c) ReplayHtml.AddComparison(page, c);
            else if (x.Report is { } one) ReplayHtml.AddReplay(page, one);
        }
    }

    /// <summary>The backtest of each symbol's test predictions; with several symbols a table of the symbols first.</summary>
    private static void Backtests(HtmlReport page, RunReportInputs r)
    {
        if (r.Backtests.Count == 0) return;
        page.Heading("Backtest after costs (test period)");
        if (r.Backtests.Count == 1)
        {
            page.Paragraph($"The candidate's test predictions traded under the backtest rules (docs/backtest.md). Directory: {r.Backtests[0].Directory}");
            BacktestHtml.AddBacktest(page, r.Backtests[0].Result, includeTrades: false, r.Backtests[0].Directory);
            return;
        }
        page.Paragraph("Each symbol's test predictions traded on its own bars under the backtest rules (docs/backtest.md); the model card keeps them by symbol (backtest_by_symbol).");
        page.Table(["symbol", "period", "trades", "net expectancy (bps)", "Sharpe", "max drawdown", "return", "directory"],
            r.Backtests.Select(b => (IReadOnlyList<HtmlCell>)
            [
                b.Symbol, $"{b.Result.FirstBar} .. {b.Result.LastBar}", b.Result.Totals.Trades.ToString("N0", C),
                b.Result.Totals.ExpectancyBps is { } e ? e.ToString("F2", C) : "n/a", b.Result.Totals.Sharpe is { } s ? s.ToString("F2", C) : "n/a",
                b.Result.Totals.MaxDrawdown.Depth.ToString("P2", C), b.Result.Totals.Return.ToString("P2", C), b.Directory,
            ]), "backtest per symbol");
        foreach (var b in r.Backtests)
        {
            page.Heading($"Backtest: {b.Symbol}", 3);
            BacktestHtml.AddBacktest(page, b.Result, includeTrades: false, b.Directory);
        }
    }

    private static void Outcome(HtmlReport page, RunReportInputs r)
    {
        page.Heading("Outcome");
        var style = r.Gate.Passed ? "good" : "bad";
        page.KeyValues(
        [
            ("gate", new HtmlCell(r.Gate.Outcome switch { GateOutcome.NoBaseline => "passed (no baseline)", GateOutcome.Passed => "passed", _ => "failed" }, style)),
            ("why", r.Gate.Reason),
            ("registry best after the run", r.BestVersion ?? "(none)"),
            ("bundle", $"{r.Bundle.Metadata.BundleId} at {r.Bundle.Directory}"),
            ("feature contract", r.Bundle.Metadata.FeatureContractHash),
            ("config", r.Config.ConfigFile),
            ("inputs", r.Config.Snapshot is { } snapshot ? "snapshot " + snapshot : string.Join(", ", r.Config.Inputs)),
            ("registry", r.Config.Registry),
        ]);
    }

    private static void Stages(HtmlReport page, RunReportInputs r)
    {
        page.Heading("Stages");
        page.Table(["#", "stage", "status", "seconds", "detail", "artifact"], r.Stages.Select((s, i) => (IReadOnlyList<HtmlCell>)
        [
            new((i + 1).ToString(C), "num"), s.Name,
            new(s.Status == RunStageStatus.Running ? "writing this page" : s.Status.ToString().ToLowerInvariant(), s.Status switch { RunStageStatus.Failed => "bad", RunStageStatus.Reused or RunStageStatus.Skipped => "muted", _ => "good" }),
            new(s.Seconds is { } sec ? sec.ToString("F1", C) : "", "num"), s.Detail ?? "", s.Artifact ?? "",
        ]), "Wall time of the last attempt of each stage; reused stages found their artifact for the same inputs.");
    }

    private static void Dataset(HtmlReport page, RunReportInputs r)
    {
        var m = r.Dataset;
        page.Heading("Dataset");
        page.KeyValues(
        [
            ("id", m.Id),
            ("features", $"{m.SnapshotFeatures.Count} snapshot, {m.SequenceFeatures.Count} sequence x {m.SeqLen} bars"),
            ("eligibility", $"{m.Eligibility.Eligible:N0} of {m.Eligibility.TotalBars:N0} bars ({m.Eligibility.Rate.ToString("P1", C)})"),
        ]);
        page.Table(["split", "rows", "start", "end", "y_direction positive rate"], m.Splits.Where(s => s.Name is "train" or "val" or "test").Select(s => (IReadOnlyList<HtmlCell>)
        [
            s.Name, new(s.Rows.ToString("N0", C), "num"), s.StartUtc ?? "", s.EndUtc ?? "",
            new(s.LabelBalance.DirectionPositiveRate.ToString("F3", C), "num"),
        ]));
    }

    private static void Trees(HtmlReport page, RunReportInputs r)
    {
        var meta = r.Trees.Metadata;
        page.Heading("Boosted trees");
        if (meta.Search is { } s)
        {
            page.Paragraph(string.Create(C, $"Search: {s.Complete} complete, {s.Pruned} pruned, {s.Failed} failed in {s.Seconds:F1} s; best held-out log loss {s.BestValue:F4} (trial {s.BestTrial}; objective: {(s.Objective == GbdtSearchObjectiveKind.Folds ? "purged time folds over the training split" : "validation's early-stopping part")}). Study {s.Study} in {s.Storage}."));
            if (meta.SearchCheck is { } check)
            {
                page.Table(["parameters", "held-out ROC-AUC", "test ROC-AUC"],
                [
                    [$"best trial {check.BestTrial}", new(F(check.BestHeldOutAuc), "num"), new(F(check.BestTestAuc), "num")],
                    [$"median trial {check.MedianTrial?.ToString(C) ?? "n/a"}", "", new(F(check.MedianTestAuc), "num")],
                    ["defaults (no search)", "", new(F(check.DefaultTestAuc), "num")],
                ], string.Create(C, $"The search out of time (test ROC-AUC of one seed per group, raw p_hat). Validation-to-test drop of the best trial: {F(check.ValidationToTestDrop)}; PBO {F(check.Pbo)} (max_pbo {check.MaxPbo:0.##})."));
                page.Paragraph(check.Note, check.FellBackToDefaults ? "bad" : null);
            }
        }
        else
            page.Paragraph("No hyper-parameter search (trials: 0): default parameters.");
        page.Table(["split", "rows", "positive rate", "ROC-AUC (p_cal)", "log loss raw", "log loss calibrated"], meta.Metrics.Select(kv => (IReadOnlyList<HtmlCell>)
        [
            kv.Key, new(kv.Value.Rows.ToString("N0", C), "num"), new(F(kv.Value.PositiveRate), "num"), new(F(kv.Value.RocAuc), "num"),
            new(F(kv.Value.LogLossRaw), "num"), new(F(kv.Value.LogLossCalibrated), "num"),
        ]));
    }

    private static void Hybrid(HtmlReport page, RunReportInputs r)
    {
        var m = r.Hybrid.Metrics;
        page.Heading(r.Hybrid.Model switch { DeepModelKind.Tft => "Temporal Fusion Transformer", DeepModelKind.Lstm => "LSTM classifier", _ => "Hybrid model" });
        page.Paragraph(string.Create(C, $"{r.Hybrid.ModelVariant}: {m.TrainSamples:N0} training and {m.ValidationSamples:N0} validation samples, {m.MeanSamplesPerSecond:F0} samples/s, weights: {m.FinalWeights}. Run: {r.Hybrid.RunDirectory}"));
        page.Table(["epoch", "train loss", "validation loss", "validation direction loss", "samples/s", "seconds"], m.Epochs.Select(e => (IReadOnlyList<HtmlCell>)
        [
            new(e.Epoch.ToString(C), "num"), new(e.TrainLoss.Total.ToString("F5", C), "num"), new(e.ValidationLoss?.Total.ToString("F5", C) ?? "-", "num"),
            new(e.ValidationLoss?.Direction?.ToString("F4", C) ?? "-", "num"), new(e.SamplesPerSecond.ToString("F0", C), "num"), new(e.WallClockSeconds.ToString("F1", C), "num"),
        ]));
        var curves = Path.Combine(r.EvaluationDirectory, EvaluationArtifact.LossCurvesFile);
        if (File.Exists(curves)) page.ImageFile(curves, "loss curves", "Training and validation loss per head and epoch.");
        var importance = Path.Combine(r.Hybrid.RunDirectory, Kairos.Deep.Tft.TftTrainer.ImportanceFile);
        if (File.Exists(importance))
            page.ImageFile(importance, "variable importance", "Mean variable-selection weights (sequence and static variables) and the decision bar's attention by lag, over the validation split.");
    }

    private static void Models(HtmlReport page, RunReportInputs r)
    {
        if (r.Models is not { } c) return;
        page.Heading("Model families compared");
        page.Paragraph(string.Create(C, $"Each family trained on the same enriched dataset and scored on the same {c.Rows:N0} test rows; differences are the family minus {c.Chosen} (the model the gate judges), with paired bootstrap intervals."));
        page.Table(["model", "ROC-AUC", "log loss", "Brier", "ECE", "ROC-AUC diff", "log loss diff", "Brier diff", "ECE diff"], c.Models.Select(m => (IReadOnlyList<HtmlCell>)
        [
            m.Name == c.Chosen ? m.Name + " (chosen)" : m.Name, new(F(m.RocAuc), "num"), new(F(m.LogLoss), "num"), new(F(m.Brier), "num"), new(F(m.Ece), "num"),
            new(ModelComparisonText.Delta(m.VersusChosen?.RocAuc, m.VersusChosen?.RocAucInterval), "num"),
            new(ModelComparisonText.Delta(m.VersusChosen?.LogLoss, m.VersusChosen?.LogLossInterval), "num"),
            new(ModelComparisonText.Delta(m.VersusChosen?.Brier, m.VersusChosen?.BrierInterval), "num"),
            new(ModelComparisonText.Delta(m.VersusChosen?.Ece, m.VersusChosen?.EceInterval), "num"),
        ]));
    }

    private static void Evaluation(HtmlReport page, RunReportInputs r)
    {
        var e = r.Evaluation;
        page.Heading("Evaluation (test split)");
        page.Paragraph($"Predictions judged: {r.PredictionsSource}. Directory: {r.EvaluationDirectory}");
        var rows = new List<IReadOnlyList<HtmlCell>> { MetricRow("overall", e.Overall) };
        rows.AddRange((e.BySession ?? []).Select(g => MetricRow($"session {g.Value}", g.Metrics)));
        rows.AddRange((e.ByVolRegime ?? []).Select(g => MetricRow($"vol regime {g.Value}", g.Metrics)));
        rows.AddRange((e.BySymbol ?? []).Select(g => MetricRow($"symbol {g.Value}", g.Metrics)));
        page.Table(["group", "rows", "positives", "PR-AUC", "ROC-AUC", "Brier", "ECE", "log loss"], rows);
        var overall = Path.Combine(r.EvaluationDirectory, EvaluationArtifact.ReliabilityFile);
        if (File.Exists(overall)) page.ImageFile(overall, "reliability diagram (overall)", "Reliability: observed frequency against predicted probability per bin.");
        foreach (var file in Directory.EnumerateFiles(r.EvaluationDirectory, "reliability_session_*.png").Order(StringComparer.Ordinal))
            page.ImageFile(file, "reliability diagram " + Path.GetFileNameWithoutExtension(file)["reliability_".Length..].Replace('_', ' '));
    }

    private static IReadOnlyList<HtmlCell> MetricRow(string name, BinaryMetrics m) =>
    [
        name, new(m.Count.ToString("N0", C), "num"), new(m.Positives.ToString("N0", C), "num"), new(F(m.PrAuc), "num"), new(F(m.RocAuc), "num"),
        new(F(m.Brier), "num"), new(F(m.Ece), "num"), new(F(m.LogLoss), "num"),
    ];

    private static void Gate(HtmlReport page, RunReportInputs r)
    {
        page.Heading("Promotion gate");
        var gate = r.Gate;
        page.Paragraph(gate.Reason, gate.Passed ? "good" : "bad");
        if (gate.BaselineMethod is { } method)
            page.Paragraph(method == "rescored"
                ? string.Create(C, $"The best ({gate.BaselineVersion}) was re-scored through its own pipeline on this run's snapshot, on the candidate's test rows ({gate.CommonRows:N0} of {gate.CandidateRows:N0} rows; {gate.LabelDisagreements:N0} where its own label differs, both judged on the candidate's labels). Evaluations: {gate.CandidateEvaluation} and {gate.BaselineEvaluation}.")
                : $"The best ({gate.BaselineVersion}) could not be re-scored ({gate.RescoreProblem}): its stored evaluation was judged instead ({gate.BaselineEvaluation}).", method == "rescored" ? null : "muted");
        if (gate.Verdict.Rules.Count > 0)
            page.Table(["rule", "candidate", "baseline", "requirement", "verdict"], gate.Verdict.Rules.Select(g => (IReadOnlyList<HtmlCell>)
            [
                g.Name, new(F(g.Candidate), "num"), new(F(g.Baseline), "num"), g.Requirement, new(g.Passed ? "pass" : "FAIL", g.Passed ? "good" : "bad"),
            ]), $"Candidate {gate.Verdict.Candidate} against {gate.Verdict.Baseline}" + (gate.Verdict.NoiseMethod is { } noise ? $"; noise: {noise}" : ""));
        if (gate.Verdict.SameRows is not { } same) return;
        var d = same.Differences;
        static string I(ConfidenceInterval? i) => i is { ValidResamples: > 0 } v ? string.Create(C, $"[{v.Lower:F4}, {v.Upper:F4}]") : "n/a";
        page.Table(["metric", "candidate", "best", "candidate - best", string.Create(C, $"{d.PrAucDeltaInterval.Level * 100:0.#}% paired bootstrap interval")],
        [
            ["rows", new(same.Candidate.Count.ToString("N0", C), "num"), new(same.Baseline.Count.ToString("N0", C), "num"), "", ""],
            ["positives", new(same.Candidate.Positives.ToString("N0", C), "num"), new(same.Baseline.Positives.ToString("N0", C), "num"), "", ""],
            ["PR-AUC", new(F(same.Candidate.PrAuc), "num"), new(F(same.Baseline.PrAuc), "num"), new(F(d.PrAucDelta), "num"), I(d.PrAucDeltaInterval)],
            ["ROC-AUC", new(F(same.Candidate.RocAuc), "num"), new(F(same.Baseline.RocAuc), "num"), new(F(d.RocAucDelta), "num"), I(d.RocAucDeltaInterval)],
            ["Brier", new(F(same.Candidate.Brier), "num"), new(F(same.Baseline.Brier), "num"), new(F(d.BrierDelta), "num"), I(d.BrierDeltaInterval)],
            ["ECE", new(F(same.Candidate.Ece), "num"), new(F(same.Baseline.Ece), "num"), new(F(d.EceDelta), "num"), I(d.EceDeltaInterval)],
        ], string.Create(C, $"Both models on the same {same.Rows:N0} rows (aligned by {same.Alignment}); {d.PrAucDeltaInterval.ValidResamples:N0} paired resamples"));
    }

    private static void Latency(HtmlReport page, RunReportInputs r)
    {
        page.Heading("Latency");
        if (r.Bundle.Card.LatencyDetail is not { } d)
        {
            page.Paragraph("Not measured.", "muted");
            return;
        }
        page.Table(["stage", "samples", "mean µs", "p50 µs", "p95 µs", "p99 µs", "max µs", "p99 target µs", "met"], d.Stages.Select(s => (IReadOnlyList<HtmlCell>)
        [
            s.Name, new(s.Samples.ToString(C), "num"), new(s.MeanUs.ToString("F1", C), "num"), new(s.P50Us.ToString("F1", C), "num"), new(s.P95Us.ToString("F1", C), "num"),
            new(s.P99Us.ToString("F1", C), "num"), new(s.MaxUs.ToString("F1", C), "num"), new(s.TargetP99Us?.ToString("F0", C) ?? "", "num"),
            new(s.MeetsTarget switch { true => "yes", false => "no", null => "" }, s.MeetsTarget == false ? "bad" : null),
        ]), string.Create(C, $"Single-thread, one bar at a time; hybrid forward: {d.Engine ?? "not measured"}; {d.Machine.ProcessorCount} cores, load average {d.Machine.LoadAverage1m:F2}, {d.Machine.Runtime}"));
    }

    private static string Days(TimeSpan span) => span.TotalDays >= 1 ? $"{span.TotalDays.ToString("0.#", C)} days" : $"{span.TotalHours.ToString("0.#", C)} hours";

    private static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("F4", C) : "n/a";
}
