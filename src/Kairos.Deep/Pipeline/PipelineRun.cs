using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kairos.Bundles;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Evaluation;
using Kairos.Progress;
using Kairos.Registry;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Threading;
using Kairos.Trees;

namespace Kairos.Pipeline;

/// <summary>
/// <c>kairos run CONFIG.yaml</c>: every stage of the pipeline in order, each reading the previous stages'
/// immutable artifacts and writing its own under a content-derived id, so a re-run with unchanged inputs
/// reuses every stage and an interrupted run (even <c>kill -9</c>) resumes: finished stages are reused, the
/// hybrid stage continues from its last epoch checkpoint. Progress of the run is kept in
/// <c>out/runs/&lt;run_id&gt;/run.json</c> (<see cref="RunState"/>). The output root is locked for the whole run
/// (<see cref="RunLock"/>): a second run on it fails before writing anything. Docs: docs/run.md.
/// </summary>
public sealed partial class PipelineRun
{
    public static readonly IReadOnlyList<string> StageNames =
        ["snapshot", "walkforward", "dataset", "trees", "hybrid", "evaluation", "compare", "gate", "bundle", "verify", "latency", "replay", "backtest", "promote", "report"];

    private readonly RunConfig _config;
    private readonly PipelineRunOptions _options;
    private readonly string _runDirectory;
    private readonly string _statePath;
    private RunState? _previous;
    private RunState _state = null!; // set by Begin, under the run lock, before any stage
    private IProgressSink _progress;
    private readonly ThreadBudget _threads;

    public PipelineRun(RunConfig config, PipelineRunOptions options)
    {
        _config = config;
        _options = options;
        RunId = ComputeRunId(config);
        _runDirectory = Path.Combine(config.Out, "runs", RunId);
        _statePath = Path.Combine(_runDirectory, RunState.FileName);
        _progress = options.Progress;
        _threads = options.Threads ?? new ThreadBudget(new ThreadBudgetOptions { Time = options.Time });
    }

    /// <summary>Content-derived: the configuration and the SHA-256 of every input file (same inputs, same run).</summary>
    public string RunId { get; }

    /// <summary>
    /// Locks the output root, then runs every stage top to bottom and returns where everything is and what the gate
    /// decided. Throws <see cref="Errors.LockedException"/>, having written nothing, when another run holds the root.
    /// </summary>
    public RunOutcome Execute()
    {
        using var rootLock = RunLock.Acquire(_config.Out, RunId, _config.ConfigFile, _options.Time);
        Begin();
        var snapshot = Stage("snapshot", CreateSnapshot);
        var walkForward = Stage("walkforward", () => WalkForward(snapshot));
        var dataset = Stage("dataset", () => BuildDataset(snapshot));
        var trees = Stage("trees", () => TrainTrees(dataset));
        var hybrid = Stage("hybrid", () => TrainDeep(trees));
        var evaluation = Stage("evaluation", () => Evaluate(trees, hybrid));
        var comparison = Stage("compare", () => CompareModels(trees, hybrid));
        var gate = Stage("gate", () => Gate(evaluation, snapshot, trees, hybrid));
        var bundle = Stage("bundle", () => BuildBundle(trees, hybrid, evaluation, gate, walkForward));
        var verified = Stage("verify", () => Verify(bundle, dataset));
        var measured = Stage("latency", () => MeasureLatency(verified));
        var replay = Stage("replay", () => Replay(snapshot, measured, gate));
        var backtest = Stage("backtest", () => Backtest(snapshot, trees, hybrid, measured));
        var promotion = Stage("promote", () => Promote(backtest.Bundle, gate));
        var report = Stage("report", () => WriteReport(snapshot, dataset, trees, hybrid, evaluation, gate, backtest.Bundle, replay, backtest, promotion, walkForward, comparison));
        return Outcome(report, backtest.Bundle, gate, promotion) with { Comparison = comparison };
    }

    /// <summary>Reads the state a previous attempt of this run left (under the lock: no other run changes it now) and records this attempt.</summary>
    private void Begin()
    {
        _previous = RunState.Load(_statePath);
        var now = _options.Time.GetUtcNow();
        _state = (_previous ?? new RunState
        {
            RunId = RunId,
            ConfigFile = _config.ConfigFile,
            CreatedAt = now,
            Stages = StageNames.Select(n => new RunStageRecord { Name = n }).ToArray(),
        }) with { UpdatedAt = now, Attempts = (_previous?.Attempts ?? 0) + 1 };
        // A run.json of an older Kairos lacks the stages added since (backtest): they start pending, in pipeline order.
        _state = _state with { Stages = StageNames.Select(n => _state.Stage(n) ?? new RunStageRecord { Name = n }).ToArray() };
        _state.Save(_statePath);
    }

    /// <summary>One stage: recorded as running, run, recorded with its status, artifact and wall time (or its failure).</summary>
    private T Stage<T>(string name, Func<Step<T>> work)
    {
        var index = StageNames.ToList().IndexOf(name) + 1;
        _options.Observer?.StageStarted(index, StageNames.Count, name);
        var started = _options.Time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        Record(new RunStageRecord { Name = name, Status = RunStageStatus.Running, StartedAt = started, Key = _state.Stage(name)?.Key, Artifact = _state.Stage(name)?.Artifact });
        var label = $"[{index}/{StageNames.Count}] {name}";
        using var stageTask = _options.Progress.Start(label, 0);
        _progress = new LabelledProgress(_options.Progress, label);
        Step<T> step;
        try
        {
            step = work();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Record(new RunStageRecord
            {
                Name = name, Status = RunStageStatus.Failed, StartedAt = started, FinishedAt = _options.Time.GetUtcNow(),
                Seconds = clock.Elapsed.TotalSeconds, Detail = e.Message.Split('\n')[0].Trim(),
            });
            throw;
        }
        var record = new RunStageRecord
        {
            Name = name, Status = step.Status, Key = step.Key, Artifact = step.Artifact, Detail = step.Detail, Threads = step.Threads,
            StartedAt = started, FinishedAt = _options.Time.GetUtcNow(), Seconds = clock.Elapsed.TotalSeconds,
        };
        Record(record);
        _options.Observer?.StageFinished(index, StageNames.Count, record);
        return step.Value;
    }

    private void Record(RunStageRecord record)
    {
        _state = _state.With(record) with { UpdatedAt = _options.Time.GetUtcNow() };
        _state.Save(_statePath);
    }

    private RunOutcome Outcome(string report, Bundle bundle, GateDecision gate, string? best) => new()
    {
        RunId = RunId,
        RunDirectory = _runDirectory,
        Report = report,
        Bundle = bundle.Directory,
        Gate = gate.Decision.Outcome,
        GateReason = gate.Decision.Reason,
        GatePassed = gate.Decision.Passed,
        BestVersion = best,
        BaselineVersion = gate.Decision.BaselineVersion,
        Stages = _state.Stages,
    };

    /// <summary>The stages' own progress tasks, named after the stage they belong to ("[5/13] hybrid: epoch 1/3").</summary>
    private sealed class LabelledProgress(IProgressSink inner, string label) : IProgressSink
    {
        public IProgressTask Start(string description, double total) => new LabelledTask(inner.Start($"{label}: {description}", total), label);

        public void Note(string line) => inner.Note($"{label}: {line}");

        private sealed class LabelledTask(IProgressTask inner, string label) : IProgressTask
        {
            public void Advance(double units) => inner.Advance(units);
            public void SetDescription(string description) => inner.SetDescription($"{label}: {description}");
            public void Dispose() => inner.Dispose();
        }
    }

    /// <summary>A stage's value and what run.json records about it.</summary>
    private sealed record Step<T>(T Value, RunStageStatus Status, string? Key, string? Artifact, string Detail, ThreadDecision? Threads = null);

    private static Step<T> Made<T>(T value, bool reused, string? key, string? artifact, string detail) =>
        new(value, reused ? RunStageStatus.Reused : RunStageStatus.Done, key, artifact, detail);

    private static string ComputeRunId(RunConfig config)
    {
        var text = new StringBuilder("kairos.run/1\n").Append(JsonSerializer.Serialize(config, RunState.Json)).Append('\n');
        // Settings added after runs existed name a run only when used, so earlier runs keep their ids.
        if (config.UsesLstm) text.Append("lstm ").Append(JsonSerializer.Serialize(config.Lstm, RunState.Json)).Append('\n');
        if (config.Compare.Count > 0) text.Append("compare ").Append(string.Join(",", config.Compare)).Append('\n');
        if (config.MultiSymbol)
            text.Append("symbols ").Append(string.Join(",", config.Symbols)).Append('\n')
                .Append("file symbols ").Append(string.Join(",", config.InputSymbols ?? [])).Append('\n');
        foreach (var input in config.Inputs) text.Append(SnapshotId.Sha256OfFile(input)).Append('\n');
        foreach (var ask in config.AskInputs ?? []) text.Append("ask ").Append(SnapshotId.Sha256OfFile(ask)).Append('\n');
        if (config.Snapshot is { } snapshot) text.Append("snapshot ").Append(Snapshot.Open(snapshot).Manifest.ContentHash).Append('\n');
        return Hash(text.ToString())[..16];
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
