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
    /// <summary>
    /// The evaluation directory (metrics.json, reliability and loss-curve PNGs), its report, and which model's predictions
    /// it judged: in words (<paramref name="Source"/>) and as the model the gate scores the best with (<paramref name="Head"/>).
    /// </summary>
    private sealed record Evaluated(string Directory, EvaluationReport Report, string Source, PLongChoice Head)
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

    /// <summary>The backtests (one per symbol, in the run's symbol order) and the bundle with them on its card.</summary>
    private sealed record Backtested(IReadOnlyList<SymbolBacktest> Results, Bundle Bundle);
}
