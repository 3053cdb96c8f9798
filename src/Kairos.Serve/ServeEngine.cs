using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Features;
using Kairos.Journal;
using Kairos.Replay;
using Kairos.Snapshots;
using Microsoft.Extensions.Logging;

namespace Kairos.Serve;

/// <summary>
/// The one place where the service's state changes: bars are checked with the ingestion rules, then, in order and
/// under one lock, streamed into the model in service (per-symbol feature state), turned into decisions by the entry
/// rule replay uses (<see cref="EntryRule"/>, one position at a time over the entry-quality window), journaled and
/// fsync'd. HTTP, NDJSON and the benchmark only call <see cref="Submit"/>; nothing else touches model state.
/// A hot swap (<see cref="ReloadAsync"/>) loads and warms the new model off the request path and swaps it between two bars.
/// </summary>
public sealed class ServeEngine : IDisposable
{
    public const string UnknownSymbol = "unknown-symbol";
    public const string MissingField = "missing-column";
    public const string UnparsableTime = "unparsable-time";
    public const string EmptyRequest = "no-bars";

    private readonly object _lock = new();
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly ServeOptions _options;
    private readonly ServeMetrics _metrics;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly EntryRule _rule;
    private readonly Dictionary<string, SymbolState> _symbols = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _startedAt;
    private ServedModel _model;
    private DecisionJournal? _journal;
    private long _seq;
    private long _refused;
    private long _swaps;
    private volatile int _phase; // 0 starting, 1 serving, 2 draining

    private ServeEngine(ServeOptions options, ServedModel model, ServeMetrics metrics, ILogger log, TimeProvider time)
    {
        _options = options;
        _model = model;
        _metrics = metrics;
        _log = log;
        _time = time;
        _rule = new EntryRule(options.Rule);
        _startedAt = time.GetUtcNow();
        foreach (var s in model.Symbols) _symbols[s] = new SymbolState(s);
        SetModelMetric(null, model.Info);
    }

    /// <summary>
    /// Opens the model the options designate (the registry's best or the bundle), verified against the running feature
    /// code: a bundle with another feature contract is a <see cref="VerificationException"/> (exit 3).
    /// </summary>
    public static ServeEngine Create(ServeOptions options, ServeMetrics metrics, ILogger log, TimeProvider time)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ConfigException("serve", problems);
        var (directory, version) = ServedModel.Resolve(options);
        var model = ServedModel.Open(directory, version, options);
        foreach (var warning in model.Warnings) log.LogWarning("model {Version}: {Warning}", version, warning);
        log.LogInformation("model {Version} loaded: bundle {BundleId}, contract {Contract}, symbols {Symbols}, bar {BarSeconds}s, p_long {PLong} ({PLongReason}), hybrid engine {Engine}",
            model.Info.Version, model.Info.BundleId, model.Info.Contract, string.Join(",", model.Symbols), model.BarSeconds, model.PLongSource, model.PLongReason,
            model.HybridEngine ?? "-");
        return new ServeEngine(options, model, metrics, log, time);
    }

    public DecisionModel Model
    {
        get
        {
            lock (_lock) return _model.Info;
        }
    }

    public IReadOnlyList<string> Symbols => _model.Symbols;

    public long BarSeconds => _model.BarSeconds;

    public TimeSpan StaleAfter => _options.StaleAfter ?? TimeSpan.FromSeconds(3 * _model.BarSeconds);

    /// <summary>Warm-up done and every symbol past its feature warm-up.</summary>
    public bool IsReady
    {
        get
        {
            if (_phase != 1) return false;
            lock (_lock) return _symbols.Values.All(s => s.Ready);
        }
    }

    public bool IsServing => _phase == 1;

    /// <summary>
    /// Warms every symbol up: the bars of the warm-up snapshot (those before the journal's first bar of the symbol),
    /// then the journal's bars with the decisions it recorded (the position state follows them), then opens the
    /// journal for appending. Bars are not scored here. Afterwards the engine serves.
    /// </summary>
    public void WarmUp(CancellationToken cancel)
    {
        IReadOnlyList<JournalRecord> records = [];
        if (_options.Journal is { } dir)
        {
            _journal = DecisionJournal.Open(dir, _options.JournalSegmentBytes, out records, out var torn);
            if (torn > 0) _log.LogWarning("journal {Journal}: cut off a torn last record of {Bytes} bytes (a crash mid-write; never acknowledged)", dir, torn);
        }
        var firstJournal = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in records) firstJournal.TryAdd(r.Symbol, r.Bar.Time);
        lock (_lock)
        {
            if (_options.Warmup is { } snapshot)
            {
                var available = Snapshot.Open(snapshot).Symbols;
                foreach (var state in _symbols.Values)
                {
                    if (!available.Contains(state.Symbol))
                    {
                        _log.LogWarning("warm-up snapshot {Snapshot} has no bars of {Symbol}", snapshot, state.Symbol);
                        continue;
                    }
                    var bars = ReplayArtifacts.ReadBars(snapshot, state.Symbol, TimeSpan.FromSeconds(_model.BarSeconds));
                    var limit = firstJournal.TryGetValue(state.Symbol, out var f) ? f : long.MaxValue;
                    var n = 0;
                    for (var i = 0; i < bars.Count && bars.Time[i] < limit; i++)
                    {
                        cancel.ThrowIfCancellationRequested();
                        var bar = Bar.At(bars, i);
                        _model.Warm(state.Symbol, bar);
                        state.History.Add(bar);
                        state.LastTime = bar.Time;
                        n++;
                    }
                    state.Ready = _model[state.Symbol].Stream.Reason != EligibilityReason.Warmup;
                    _log.LogInformation("warm-up {Symbol}: {Bars} snapshot bars, last {Last}", state.Symbol, n, state.LastTime is { } t ? ReplayTime.Format(t) : "-");
                }
            }
            var step = MaxStep;
            foreach (var r in records)
            {
                cancel.ThrowIfCancellationRequested();
                if (!_symbols.TryGetValue(r.Symbol, out var state))
                {
                    _log.LogWarning("journal record {Seq}: symbol {Symbol} is not served by this model; skipped", r.Seq, r.Symbol);
                    continue;
                }
                var bar = new Bar(r.Bar.Time, r.Bar.Open, r.Bar.High, r.Bar.Low, r.Bar.Close, r.Bar.Volume ?? 0, r.Bar.Spread ?? double.NaN);
                AdvancePosition(state, bar.Time, step);
                _model.Warm(r.Symbol, bar);
                state.History.Add(bar);
                state.LastTime = bar.Time;
                state.BarsAccepted++;
                if (r.Decision.Decision is "long" or "short") state.PositionBars = 0;
                if (r.Decision.Reason != "warmup") state.Ready = true;
                _seq = r.Seq;
            }
            if (records.Count > 0) _log.LogInformation("journal {Journal}: replayed {Records} records, last seq {Seq}", _options.Journal, records.Count, _seq);
            var now = _time.GetUtcNow();
            foreach (var s in _symbols.Values) s.LastReceivedAt = now;
            _phase = 1;
        }
    }

    private long MaxStep => _model.BarSeconds + (long)Math.Round(_options.Rule.MaxGapMinutes * 60);

    /// <summary>
    /// Checks every bar of the batch, then (all good) streams them in order and answers a decision per bar, journaled
    /// and fsync'd before this returns. A bad bar refuses the whole batch: no state changes, nothing is journaled.
    /// </summary>
    public SubmitResult Submit(string? symbol, IReadOnlyList<BarInput>? bars)
    {
        if (_phase != 1) return new SubmitResult { Unavailable = _phase == 0 ? "warming up" : "shutting down" };
        if (bars is null || bars.Count == 0)
            return Refuse(new BarRejection(EmptyRequest, "bars", "the request carries no bars", 0, null, symbol));
        var parsed = new Bar[bars.Count];
        var symbols = new string[bars.Count];
        lock (_lock)
        {
            if (_phase != 1) return new SubmitResult { Unavailable = "shutting down" };
            var previous = new Dictionary<string, long?>(StringComparer.Ordinal);
            for (var i = 0; i < bars.Count; i++)
            {
                var b = bars[i];
                var s = b.Symbol ?? symbol;
                // Only served symbols become label values: a client cannot grow the metric without bound.
                _metrics.BarsReceived.WithLabels(s is not null && _symbols.ContainsKey(s) ? s : "unknown").Inc();
                if (s is null || !_symbols.TryGetValue(s, out var state))
                    return Refuse(new BarRejection(UnknownSymbol, "symbol", s is null ? "the bar names no symbol" : $"symbol '{s}' is not served (this model serves {string.Join(", ", _symbols.Keys)})", i, b.Time, s));
                if (!previous.TryGetValue(s, out var last)) last = state.LastTime;
                var v = Check(b, last, out parsed[i]);
                if (v is not null) return Refuse(new BarRejection(v.Rule, v.Field, v.Detail, i, b.Time, s));
                previous[s] = parsed[i].Time;
                symbols[i] = s;
            }
            var decisions = new ServeDecision[bars.Count];
            var model = _model;
            var step = MaxStep;
            try
            {
                for (var i = 0; i < parsed.Length; i++)
                {
                    var state = _symbols[symbols[i]];
                    decisions[i] = Decide(model, state, parsed[i], step);
                    _journal?.Append(new JournalRecord(++_seq, state.Symbol, ToJournal(parsed[i], bars[i].Volume is not null), decisions[i]));
                }
            }
            finally
            {
                // Whatever was streamed is journaled: the features have seen it.
                CommitJournal();
            }
            return new SubmitResult { Decisions = decisions };
        }
    }

    private SubmitResult Refuse(BarRejection rejection)
    {
        Interlocked.Increment(ref _refused);
        _metrics.BarsRefused.WithLabels(rejection.Rule).Inc();
        _log.LogInformation("bar refused: {Rule} ({Field}) {Detail}; bar {Index} time {Time} symbol {Symbol}",
            rejection.Rule, rejection.Field, rejection.Detail, rejection.Index, rejection.Time, rejection.Symbol);
        return new SubmitResult { Rejection = rejection };
    }

    private BarRuleViolation? Check(BarInput b, long? last, out Bar bar)
    {
        bar = default;
        if (b.Time is null) return new BarRuleViolation(MissingField, "time", "the bar has no time");
        if (!DateTimeOffset.TryParse(b.Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return new BarRuleViolation(UnparsableTime, "time", $"'{b.Time}' is not an ISO-8601 date-time");
        foreach (var (name, value) in new[] { ("open", b.Open), ("high", b.High), ("low", b.Low), ("close", b.Close) })
            if (value is null) return new BarRuleViolation(MissingField, name, $"the bar has no {name}");
        var v = BarRowRules.CheckOhlc(b.Open!.Value, b.High!.Value, b.Low!.Value, b.Close!.Value);
        if (v is not null) return v;
        var asks = new[] { b.AskOpen, b.AskHigh, b.AskLow, b.AskClose };
        if (asks.Any(a => a is not null))
        {
            if (asks.Any(a => a is null)) return new BarRuleViolation(MissingField, "ask_open", "a bar with ask prices needs all four: ask_open, ask_high, ask_low, ask_close");
            v = BarRowRules.CheckOhlc(b.AskOpen!.Value, b.AskHigh!.Value, b.AskLow!.Value, b.AskClose!.Value, "ask_");
            if (v is not null) return v;
        }
        var spread = b.Spread ?? (b.AskClose is { } ask ? ask - b.Close.Value : null);
        v = BarRowRules.CheckVolumeAndSpread(b.Volume ?? 0, spread);
        if (v is not null) return v;
        if (spread is null && _model.NeedsSpread)
            return new BarRuleViolation(MissingField, "spread", "the model's features use the spread: send spread (price units) or the ask prices");
        var time = t.ToUnixTimeSeconds();
        v = BarRowRules.CheckTime(time, last, _model.BarSeconds);
        if (v is not null) return v;
        bar = new Bar(time, b.Open.Value, b.High.Value, b.Low.Value, b.Close.Value, b.Volume ?? 0, spread ?? double.NaN);
        return null;
    }

    /// <summary>Replay's trade window: an open entry ends after the entry-quality bars, or at a data gap.</summary>
    private void AdvancePosition(SymbolState state, long time, long maxStep)
    {
        if (state.PositionBars is not { } n) return;
        if (state.LastTime is { } last && time - last > maxStep)
        {
            state.PositionBars = null;
            return;
        }
        state.PositionBars = n + 1 >= _options.Rule.EntryQualityBars ? null : n + 1;
    }

    private ServeDecision Decide(ServedModel model, SymbolState state, in Bar bar, long maxStep)
    {
        var start = Stopwatch.GetTimestamp();
        AdvancePosition(state, bar.Time, maxStep);
        var predictor = model[state.Symbol];
        var p = predictor.Next(bar, score: true);
        string decision = "none";
        string? reason;
        if (!p.IsCandidate)
        {
            reason = p.Reason == EligibilityReason.Eligible ? "not_scored" : Snake(p.Reason);
        }
        else
        {
            state.BarsScored++;
            _metrics.BarsScored.WithLabels(state.Symbol).Inc();
            var direction = _rule.Signal(p);
            if (direction is null) reason = "below_threshold";
            else if (_options.Rule.OnePositionAtATime && state.PositionBars is not null) reason = "position_open";
            else
            {
                decision = direction == TradeDirection.Long ? "long" : "short";
                reason = null;
                if (_options.Rule.OnePositionAtATime) state.PositionBars = 0;
            }
        }
        state.History.Add(bar);
        state.LastTime = bar.Time;
        state.BarsAccepted++;
        state.LastReceivedAt = _time.GetUtcNow();
        state.LastReason = reason;
        if (p.Reason != EligibilityReason.Warmup) state.Ready = true;
        SetKillSwitch(state, p.Reason switch
        {
            EligibilityReason.DataGap => "data_gap",
            EligibilityReason.SpreadCap => "spread_cap",
            EligibilityReason.ExtremeVol => "extreme_vol",
            _ => null,
        });
        var ctx = p.Context;
        var elapsed = Stopwatch.GetElapsedTime(start);
        _metrics.ScoringLatency.Observe(elapsed.TotalSeconds);
        _metrics.Decisions.WithLabels(decision, reason ?? "entry").Inc();
        return new ServeDecision
        {
            Time = ReplayTime.Format(bar.Time),
            Symbol = state.Symbol,
            Decision = decision,
            PLong = p.IsCandidate ? p.PLong : null,
            Eligible = p.Reason == EligibilityReason.Eligible,
            Reason = reason,
            Context = new DecisionContext(
                Name(SessionTable.Names, ctx.SessionId), Name(ContextValues.VolRegimeNames, ctx.VolRegimeId), Name(ContextValues.TrendRegimeNames, ctx.TrendRegimeId),
                ctx.AtrBps, ctx.SpreadBps, predictor.Stream.AtrBucket, predictor.Stream.SpreadBucket),
            InputDistance = double.IsFinite(p.InputDistance) ? p.InputDistance : null,
            Model = model.Info,
            LatencyUs = (long)(elapsed.Ticks / 10),
        };
    }

    private void SetKillSwitch(SymbolState state, string? reason)
    {
        if (state.KillSwitch == reason) return;
        if (state.KillSwitch is { } old) _metrics.KillSwitch.WithLabels(state.Symbol, old).Set(0);
        if (reason is not null) _metrics.KillSwitch.WithLabels(state.Symbol, reason).Set(1);
        state.KillSwitch = reason;
    }

    private void CommitJournal()
    {
        if (_journal is null) return;
        _metrics.JournalUnsynced.Set(_journal.Pending);
        var start = Stopwatch.GetTimestamp();
        _journal.Commit();
        _metrics.JournalFsync.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
        _metrics.JournalUnsynced.Set(0);
    }

    /// <summary>
    /// Reloads the model the options designate now (the registry's best, or the bundle): when it differs, verifies and
    /// opens it, warms it up on every bar the symbols have seen, all off the request path, then swaps it in between two
    /// bars (the bars that arrived meanwhile are fed to it first). A refused model (verification, contract) leaves the
    /// old one in service.
    /// </summary>
    public async Task<ReloadResult> ReloadAsync(string trigger, CancellationToken cancel)
    {
        await _reloadGate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Reload(trigger, cancel), cancel).ConfigureAwait(false);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private ReloadResult Reload(string trigger, CancellationToken cancel)
    {
        var current = Model;
        ServedModel next;
        try
        {
            var (directory, version) = ServedModel.Resolve(_options);
            if (_options.Registry is not null && version == current.Version)
                return new ReloadResult(ReloadResult.Unchanged, current, current, []);
            next = ServedModel.Open(directory, version, _options);
            foreach (var warning in next.Warnings) _log.LogWarning("model {Version}: {Warning}", version, warning);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever went wrong with the new model (verification, contract, an unreadable registry), the old one serves on.
            _metrics.ReloadFailures.Inc();
            var problems = e is VerificationException v ? v.Failures : e is ConfigException c ? c.Problems : [e.Message];
            _log.LogError("reload ({Trigger}) refused, model {Version} stays in service: {Problems}", trigger, current.Version, string.Join("; ", problems));
            return new ReloadResult(ReloadResult.Refused, current, current, problems);
        }
        var problemsOfShape = new List<string>();
        if (next.BarSeconds != _model.BarSeconds) problemsOfShape.Add($"the new model runs on {next.BarSeconds}s bars, the service on {_model.BarSeconds}s");
        if (!next.Symbols.OrderBy(s => s, StringComparer.Ordinal).SequenceEqual(_model.Symbols.OrderBy(s => s, StringComparer.Ordinal)))
            problemsOfShape.Add($"the new model serves {string.Join(", ", next.Symbols)}, the service {string.Join(", ", _model.Symbols)}");
        if (problemsOfShape.Count > 0)
        {
            next.Dispose();
            _metrics.ReloadFailures.Inc();
            _log.LogError("reload ({Trigger}) refused, model {Version} stays in service: {Problems}", trigger, current.Version, string.Join("; ", problemsOfShape));
            return new ReloadResult(ReloadResult.Refused, current, current, problemsOfShape);
        }
        // Off the request path: the history below the counts taken now never changes.
        var warmed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var state in _symbols.Values)
        {
            var n = state.History.Count;
            for (var i = 0; i < n; i++)
            {
                if ((i & 4095) == 0) cancel.ThrowIfCancellationRequested();
                next.Warm(state.Symbol, state.History[i]);
            }
            warmed[state.Symbol] = n;
        }
        ServedModel old;
        lock (_lock)
        {
            foreach (var state in _symbols.Values)
                for (var i = warmed[state.Symbol]; i < state.History.Count; i++) next.Warm(state.Symbol, state.History[i]);
            old = _model;
            _model = next;
            _swaps++;
        }
        old.Dispose();
        _metrics.ModelSwaps.Inc();
        SetModelMetric(old.Info, next.Info);
        _log.LogInformation("model swapped ({Trigger}): {From} -> {To} (bundle {BundleId}), warmed on {Bars} bars",
            trigger, old.Info.Version, next.Info.Version, next.Info.BundleId, warmed.Values.Sum());
        return new ReloadResult(ReloadResult.Swapped, old.Info, next.Info, []);
    }

    private void SetModelMetric(DecisionModel? old, DecisionModel now)
    {
        if (old is not null) _metrics.Model.WithLabels(old.Version, old.BundleId, old.Contract).Set(0);
        _metrics.Model.WithLabels(now.Version, now.BundleId, now.Contract).Set(1);
    }

    public ServeStatus Status()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var stale = StaleAfter;
            var symbols = _symbols.Values.Select(s => new SymbolStatus(s.Symbol, s.LastTime is { } t ? ReplayTime.Format(t) : null, s.Ready, s.BarsAccepted, s.BarsScored,
                s.KillSwitch, _phase == 1 && s.LastReceivedAt is { } r && now - r > stale, s.PositionBars is not null)).ToArray();
            foreach (var s in symbols) _metrics.KillSwitch.WithLabels(s.Symbol, "stale_feed").Set(s.Stale ? 1 : 0);
            using var process = Process.GetCurrentProcess();
            return new ServeStatus
            {
                Status = _phase switch { 0 => "starting", 2 => "draining", _ => symbols.Any(s => s.Stale) ? "degraded" : "ok" },
                Model = _model.Info,
                PLongSource = _model.PLongSource == PLongSource.Hybrid ? "hybrid" : "trees",
                PLongReason = _model.PLongReason,
                HybridEngine = _model.HybridEngine,
                TreesEngine = _model.TreesEngine,
                Symbols = symbols,
                BarsScored = symbols.Sum(s => s.BarsScored),
                BarsAccepted = symbols.Sum(s => s.BarsAccepted),
                BarsRefused = Interlocked.Read(ref _refused),
                UptimeSeconds = (now - _startedAt).TotalSeconds,
                StartedAt = _startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                JournalRecords = _journal is null ? 0 : _seq,
                ModelSwaps = _swaps,
                RssBytes = process.WorkingSet64,
                GcHeapBytes = GC.GetTotalMemory(false),
                GcCommittedBytes = GC.GetGCMemoryInfo().TotalCommittedBytes,
            };
        }
    }

    /// <summary>Stops taking bars (requests in flight finish first) and makes the journal durable.</summary>
    public void Drain()
    {
        lock (_lock)
        {
            if (_phase == 2) return;
            _phase = 2;
            _journal?.Dispose();
            _log.LogInformation("drained: journal synced at seq {Seq}", _seq);
        }
    }

    public void Dispose()
    {
        Drain();
        lock (_lock) _model.Dispose();
        _reloadGate.Dispose();
    }

    /// <summary>The journal's copy of a bar: volume only when the client sent one (the features saw 0 in its place).</summary>
    private static JournalBar ToJournal(in Bar b, bool hasVolume) => new(b.Time, b.Open, b.High, b.Low, b.Close, hasVolume ? b.Volume : null, double.IsFinite(b.Spread) ? b.Spread : null);

    private static string Snake(EligibilityReason r) => JsonNamingPolicy.SnakeCaseLower.ConvertName(r.ToString());

    private static string? Name(IReadOnlyList<string> names, int id) => id >= 0 && id < names.Count ? names[id] : null;
}
