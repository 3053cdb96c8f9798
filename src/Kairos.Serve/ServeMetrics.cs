using Prometheus;

namespace Kairos.Serve;

/// <summary>
/// The service's Prometheus metrics (prometheus-net, exported on <c>/metrics</c>; names in docs/serve.md): bars received,
/// bars refused by rule, decisions by action and reason, the scoring-latency histogram, kill-switch state per symbol,
/// the model in service, the journal's unsynced records and fsync time.
/// </summary>
public sealed class ServeMetrics
{
    public ServeMetrics(CollectorRegistry registry)
    {
        var f = Metrics.WithCustomRegistry(registry);
        BarsReceived = f.CreateCounter("kairos_serve_bars_received_total", "Bars received, accepted or not.", "symbol");
        BarsRefused = f.CreateCounter("kairos_serve_bars_refused_total", "Bars refused, by the ingestion rule they break.", "rule");
        Decisions = f.CreateCounter("kairos_serve_decisions_total", "Decisions made, by action (long, short, none) and reason.", "action", "reason");
        ScoringLatency = f.CreateHistogram("kairos_serve_scoring_latency_seconds", "Time to turn one accepted bar into its decision (features, trees, hybrid, rule).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00001, 2, 16) });
        KillSwitch = f.CreateGauge("kairos_serve_kill_switch", "1 while the symbol's entries are blocked by the kill switch (reason: data_gap, spread_cap, extreme_vol, stale_feed).", "symbol", "reason");
        Model = f.CreateGauge("kairos_serve_model_info", "1 for the model in service.", "version", "bundle_id", "contract");
        ModelSwaps = f.CreateCounter("kairos_serve_model_swaps_total", "Models swapped in (promote, rollback, reload).");
        ReloadFailures = f.CreateCounter("kairos_serve_reload_failures_total", "Reloads refused (verification, contract); the old model stayed.");
        JournalUnsynced = f.CreateGauge("kairos_serve_journal_lag_records", "Journal records appended but not yet fsync'd.");
        JournalFsync = f.CreateHistogram("kairos_serve_journal_fsync_seconds", "Time to write and fsync one request's journal records.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00005, 2, 16) });
        BarsScored = f.CreateCounter("kairos_serve_bars_scored_total", "Bars scored by a model (eligible bars).", "symbol");
    }

    public Counter BarsReceived { get; }
    public Counter BarsRefused { get; }
    public Counter Decisions { get; }
    public Histogram ScoringLatency { get; }
    public Gauge KillSwitch { get; }
    public Gauge Model { get; }
    public Counter ModelSwaps { get; }
    public Counter ReloadFailures { get; }
    public Gauge JournalUnsynced { get; }
    public Histogram JournalFsync { get; }
    public Counter BarsScored { get; }
}
