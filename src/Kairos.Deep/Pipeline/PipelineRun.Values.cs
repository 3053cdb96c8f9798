using System.Globalization;
using System.Text;
using System.Text.Json;
using Kairos.Backtest;
using Kairos.Bundles;
using Kairos.Evaluation;
using Kairos.Promotion;
using Kairos.Replay;
using Kairos.Artifacts;

namespace Kairos.Pipeline;

/// <summary>What the stages of <see cref="PipelineRun"/> hand to each other (beyond the stages' own result types).</summary>
public sealed partial class PipelineRun
{
    /// <summary>The evaluation directory (metrics.json, reliability and loss-curve PNGs), its report, and which model's predictions it judged.</summary>
    private sealed record Evaluated(string Directory, EvaluationReport Report, string Source)
    {
        public string Id => Path.GetFileName(Directory);
    }

    /// <summary>
    /// The gate's decision (<see cref="PromotionService.Decide"/>) kept in <c>out/gates/&lt;key&gt;/</c>: <c>gate.json</c> (the
    /// decision) and <c>promotion_verdict.json</c> (the verdict given to the bundle).
    /// </summary>
    private sealed record GateDecision(PromotionDecision Decision)
    {
        public const string FileName = "gate.json";
        private const string VerdictFileName = "promotion_verdict.json";

        public string Directory { get; init; } = "";
        public string VerdictFile => Path.Combine(Directory, VerdictFileName);

        public GateDecision Save(string directory)
        {
            var saved = this with { Directory = Path.GetFullPath(directory) };
            if (TryLoad(directory) is { } existing) return existing;
            var temp = ArtifactDirectory.CreateTemporarySibling(Path.GetDirectoryName(saved.Directory)!, Path.GetFileName(saved.Directory));
            try
            {
                PromotionService.WriteVerdict(Decision.Verdict, Path.Combine(temp, VerdictFileName));
                File.WriteAllText(Path.Combine(temp, FileName), JsonSerializer.Serialize(Decision, RunState.Json) + "\n", new UTF8Encoding(false));
                if (System.IO.Directory.Exists(saved.Directory)) System.IO.Directory.Delete(saved.Directory, recursive: true); // written by an older Kairos, unreadable now
                System.IO.Directory.Move(temp, saved.Directory);
            }
            finally
            {
                if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
            }
            return saved;
        }

        /// <summary>The decision kept in <paramref name="directory"/>, or null when there is none this code reads (the gate is then decided again).</summary>
        public static GateDecision? TryLoad(string directory)
        {
            var file = Path.Combine(directory, FileName);
            if (!File.Exists(file)) return null;
            try
            {
                return JsonSerializer.Deserialize<PromotionDecision>(File.ReadAllText(file), RunState.Json) is { } d
                    ? new GateDecision(d) { Directory = Path.GetFullPath(directory) }
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>The backtest directory, its result (without the curve when read back: the figures are in the directory) and the bundle with the backtest on its card.</summary>
    private sealed record Backtested(string Directory, BacktestResult Result, Bundle Bundle);

    /// <summary>The replay report directory and its report (one bundle) or comparison (previous best A vs candidate B).</summary>
    private sealed record Replayed(string Directory, ReplayReport? Report, ReplayComparison? Comparison)
    {
        public bool HasTrace => Comparison is { } c ? c.A.Trace is not null && c.B.Trace is not null : Report?.Trace is not null;

        public string Summary
        {
            get
            {
                var c = CultureInfo.InvariantCulture;
                if (Comparison is { } cmp)
                    return string.Create(c, $"A (previous best) vs B (candidate) on {cmp.Window.BarsInWindow:N0} bars: trades {cmp.A.Trades.Created} vs {cmp.B.Trades.Created}, p_long correlation {cmp.Agreement.PLongCorrelation:F3}");
                var r = Report!;
                return string.Create(c, $"{r.Window.BarsInWindow:N0} bars, {r.Candidates:N0} candidates, {r.Trades.Created} trades, goes-against-us rate {(r.Trades.All.GoesAgainstUsRate is { } g ? g.ToString("F3", c) : "n/a")}");
            }
        }

        /// <summary>The replay directory read back (a reused stage), or null when it is gone or unreadable.</summary>
        public static Replayed? TryLoad(string directory)
        {
            try
            {
                var comparison = Path.Combine(directory, "comparison.json");
                if (File.Exists(comparison))
                    return JsonSerializer.Deserialize<ReplayComparison>(File.ReadAllText(comparison), ArtifactJson.Options) is { } c ? new Replayed(directory, null, c) : null;
                var replay = Path.Combine(directory, "replay.json");
                if (File.Exists(replay))
                    return JsonSerializer.Deserialize<ReplayReport>(File.ReadAllText(replay), ArtifactJson.Options) is { } r ? new Replayed(directory, r, null) : null;
                return null;
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                return null;
            }
        }
    }
}
