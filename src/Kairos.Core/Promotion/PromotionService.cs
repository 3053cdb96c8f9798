using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Kairos.Bundles;
using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Progress;
using Kairos.Registry;
using Kairos.Artifacts;

namespace Kairos.Promotion;

/// <summary>
/// The one place that decides a promotion, for <c>kairos promote</c> and for the gate stage of <c>kairos run</c>:
/// <see cref="Judge"/> compares two evaluations (paired on the same rows whenever both predictions are available
/// unchanged), <see cref="Decide"/> gates a candidate against a registry's best by re-scoring that best on the
/// candidate's rows and judging the pair. Rules and their numbers: docs/metrics.md, "Promotion gate".
/// </summary>
public static class PromotionService
{
    /// <summary>Paired bootstraps draw at least this many resamples (more when the candidate's evaluation did).</summary>
    public const int MinPairedResamples = 1000;

    /// <summary>
    /// An evaluation to gate: a <c>metrics.json</c> of <c>kairos eval</c> (the file or its directory) read as is, or a
    /// predictions CSV evaluated with the default options.
    /// </summary>
    public static EvaluationReport Load(string path, IProgressSink? progress = null)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) && full.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            return PredictionsEvaluator.Evaluate(PredictionsCsv.Read(full), new EvaluationOptions(), progress);
        return EvaluationReportFile.Load(full);
    }

    /// <summary>
    /// The verdict of <paramref name="candidate"/> over <paramref name="baseline"/>. When the predictions of both are
    /// available unchanged (their recorded SHA-256) and hold the same rows, the paired bootstrap of the differences is run
    /// and recorded (and used by the rules in beyond-noise mode); rows or labels that do not pair are an error in
    /// beyond-noise mode unless <see cref="PromotionGateOptions.AllowDifferentData"/>.
    /// </summary>
    public static PromotionVerdict Judge(EvaluationReport candidate, EvaluationReport baseline, PromotionGateOptions options,
        string? candidateName = null, string? baselineName = null, IProgressSink? progress = null)
    {
        options.Validate();
        var (paired, reason) = Pair(candidate, baseline, options, progress ?? NullProgressSink.Instance);
        return PromotionGate.Evaluate(candidate, baseline, options, candidateName, baselineName, paired, reason);
    }

    /// <summary>Writes the verdict JSON through a temporary sibling renamed into place.</summary>
    public static void WriteVerdict(PromotionVerdict verdict, string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(verdict, EvaluationReportFile.JsonOptions) + "\n");

    /// <summary>Whether the predictions a report was computed from still exist with the SHA-256 it recorded.</summary>
    public static bool SourceUnchanged(EvaluationReport report)
    {
        if (report.SourceSha256 is null || !File.Exists(report.Source)) return false;
        using var stream = File.OpenRead(report.Source);
        return Convert.ToHexStringLower(SHA256.HashData(stream)) == report.SourceSha256;
    }

    private static (PairedComparison?, string?) Pair(EvaluationReport candidate, EvaluationReport baseline, PromotionGateOptions options, IProgressSink progress)
    {
        var missing = new[] { candidate, baseline }.Where(r => !SourceUnchanged(r)).Select(r => r.Source).ToList();
        if (missing.Count > 0)
            return (null, "predictions not available unchanged: " + string.Join(", ", missing));
        var c = PredictionsCsv.Read(candidate.Source);
        var b = PredictionsCsv.Read(baseline.Source);
        var evaluation = candidate.Options with { BootstrapResamples = Math.Max(candidate.Options.BootstrapResamples, MinPairedResamples) };
        try
        {
            using var task = progress.Start("paired bootstrap", 0);
            return (PairedBootstrap.Compare(c, b, evaluation), null);
        }
        catch (DataException e) when (e.Rule is "paired-rows" or "paired-labels" && (!options.BeyondNoise || options.AllowDifferentData))
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Gates a candidate against the registry's best: no best, the candidate passes (<see cref="GateOutcome.NoBaseline"/>);
    /// a best that no longer verifies fails the gate (<c>baseline_verifies</c>); a candidate that is the best already
    /// passes without comparison; otherwise the best is re-scored on the candidate's rows (<see cref="ChampionRescoring"/>),
    /// both evaluations are written under <see cref="PromotionRequest.ArtifactsRoot"/> and <see cref="Judge"/> decides.
    /// When the best cannot be re-scored (its symbol or bar size is not in the snapshot, the candidate's predictions have
    /// no timestamps) the evaluation stored in its bundle is judged instead, which needs the same rows or
    /// <see cref="PromotionGateOptions.AllowDifferentData"/> (rule <c>comparable</c>).
    /// </summary>
    public static PromotionDecision Decide(PromotionRequest request, IProgressSink? progress = null)
    {
        progress ??= NullProgressSink.Instance;
        var options = request.Gate.Validate();
        var candidate = EvaluationReportFile.Load(Path.Combine(request.CandidateEvaluation, EvaluationReportFile.FileName));
        var registry = new ModelRegistry(request.Registry, new RegistryOptions { ContractAuthority = request.ContractAuthority });
        var best = registry.BestVersion();
        if (best is null)
            return new PromotionDecision
            {
                Outcome = GateOutcome.NoBaseline,
                Reason = $"no baseline: registry {registry.Root} has no best version yet, so the candidate is promoted as the first model without a comparison",
                Verdict = new PromotionVerdict { Passed = true, Candidate = request.CandidateEvaluation, Baseline = "none", Options = options, Rules = [] },
            };

        var baselineDirectory = Path.Combine(registry.Root, ModelRegistry.VersionsDirectory, best);
        Bundle baseline;
        try
        {
            baseline = Bundle.Open(baselineDirectory, new BundleVerifyOptions { ContractAuthority = request.ContractAuthority });
        }
        catch (VerificationException e)
        {
            var problem = string.Join("; ", e.Failures);
            return new PromotionDecision
            {
                Outcome = GateOutcome.Failed,
                Best = best,
                Reason = $"the registry's best {best} cannot be compared with: {problem}; roll back or promote by hand (kairos registry)",
                Verdict = new PromotionVerdict
                {
                    Passed = false, Candidate = request.CandidateEvaluation, Baseline = best, Options = options,
                    Rules = [new GateRule("baseline_verifies", "bundle", null, null, problem, false)],
                },
            };
        }
        if (baseline.Metadata.Lineage.TreesId == request.CandidateTreesId && baseline.Metadata.Lineage.RunId == request.CandidateRunId)
            return new PromotionDecision
            {
                Outcome = GateOutcome.Passed,
                Best = best,
                Reason = $"the candidate is the registry's best already ({best}: same trees and hybrid run); nothing to gate",
                Verdict = new PromotionVerdict { Passed = true, Candidate = request.CandidateEvaluation, Baseline = best, Options = options, Rules = [] },
            };

        var baselineName = $"registry best {best}";
        var decision = new PromotionDecision
        {
            Outcome = GateOutcome.Failed, Reason = "", Best = best, BaselineVersion = best, BaselineDirectory = baselineDirectory,
            Verdict = new PromotionVerdict { Passed = false, Candidate = request.CandidateEvaluation, Baseline = baselineName, Options = options, Rules = [] },
        };
        PromotionVerdict verdict;
        var rescored = TryRescore(request, baselineDirectory, best, candidate, progress, out var rescoreProblem);
        if (rescored is { } pair)
        {
            verdict = Judge(pair.Candidate, pair.Champion, options, pair.CandidateDirectory, baselineName + " re-scored on the candidate's rows", progress);
            decision = decision with
            {
                CandidateEvaluation = pair.CandidateDirectory, BaselineEvaluation = pair.ChampionDirectory, BaselineMethod = "rescored",
                CandidateRows = pair.Rows.CandidateRows, CommonRows = pair.Rows.CommonRows, LabelDisagreements = pair.Rows.LabelDisagreements,
            };
        }
        else
        {
            var storedPath = baseline.PathOf($"{BundleFormat.EvaluationDirectory}/{EvaluationReportFile.FileName}");
            var stored = EvaluationReportFile.Load(storedPath);
            verdict = JudgeStored(candidate, stored, options, request.CandidateEvaluation, baselineName + " (its stored evaluation)", progress);
            decision = decision with
            {
                CandidateEvaluation = request.CandidateEvaluation, BaselineEvaluation = Path.GetDirectoryName(storedPath), BaselineMethod = "stored_evaluation",
                RescoreProblem = rescoreProblem,
            };
        }
        var passed = verdict.Passed;
        var why = passed
            ? $"passed against {best}: every rule holds"
            : $"failed against {best}: " + string.Join("; ", verdict.Rules.Where(r => !r.Passed).Select(r => $"{r.Name} ({r.Requirement})"));
        var on = rescored is not { } p2 ? $" (on the best's stored evaluation: it could not be re-scored: {rescoreProblem})"
            : p2.Rows.AllCandidateRows ? string.Create(CultureInfo.InvariantCulture, $" (both models on the candidate's {p2.Rows.CommonRows:N0} test rows)")
            : string.Create(CultureInfo.InvariantCulture, $" (both models on the {p2.Rows.CommonRows:N0} of the candidate's {p2.Rows.CandidateRows:N0} test rows that the best also scores)");
        return decision with { Outcome = passed ? GateOutcome.Passed : GateOutcome.Failed, Reason = why + on, Verdict = verdict };
    }

    /// <summary>The stored evaluation judged: rows that differ fail the rule <c>comparable</c> rather than end the run.</summary>
    private static PromotionVerdict JudgeStored(EvaluationReport candidate, EvaluationReport stored, PromotionGateOptions options, string candidateName, string baselineName, IProgressSink progress)
    {
        try
        {
            return Judge(candidate, stored, options, candidateName, baselineName, progress);
        }
        catch (ConfigException e)
        {
            return new PromotionVerdict
            {
                Passed = false, Candidate = candidateName, Baseline = baselineName, Options = options,
                Rules = [new GateRule("comparable", "rows", candidate.Overall.Count, stored.Overall.Count, string.Join(" ", e.Problems), false)],
            };
        }
    }

    private sealed record RescoredPair(EvaluationReport Candidate, EvaluationReport Champion, string CandidateDirectory, string ChampionDirectory, ChampionRescoring.Result Rows);

    /// <summary>
    /// The champion's predictions on the candidate's rows written to <c>predictions/</c> and evaluated into
    /// <c>evaluations/</c> (and the candidate's on the common rows when the champion skipped some); null and why when the
    /// champion cannot be scored on the snapshot.
    /// </summary>
    private static RescoredPair? TryRescore(PromotionRequest request, string championDirectory, string best, EvaluationReport candidate,
        IProgressSink progress, out string? problem)
    {
        problem = null;
        if (!SourceUnchanged(candidate))
        {
            problem = $"the candidate's predictions {candidate.Source} are not available unchanged";
            return null;
        }
        var name = $"{request.ArtifactPrefix}-{best}";
        var predictionsDirectory = Path.Combine(request.ArtifactsRoot, "predictions");
        var evaluationsDirectory = Path.Combine(request.ArtifactsRoot, "evaluations");
        var championCsv = Path.Combine(predictionsDirectory, name + "-champion.csv");
        var commonCsv = Path.Combine(predictionsDirectory, name + "-candidate.csv");
        ChampionRescoring.Result rows;
        try
        {
            rows = ChampionRescoring.Score(championDirectory, PredictionsCsv.Read(candidate.Source), request, championCsv, commonCsv, progress);
        }
        catch (KairosException e) when (e is DataException or ConfigException or VerificationException)
        {
            problem = e.Message.Split('\n')[0].Trim();
            return null;
        }
        var championDir = Evaluate(rows.Champion, Path.Combine(evaluationsDirectory, name + "-champion"), request.Evaluation, progress);
        var candidateDir = rows.AllCandidateRows
            ? request.CandidateEvaluation
            : Evaluate(rows.Candidate, Path.Combine(evaluationsDirectory, name + "-candidate"), request.Evaluation, progress);
        return new RescoredPair(
            EvaluationReportFile.Load(Path.Combine(candidateDir, EvaluationReportFile.FileName)),
            EvaluationReportFile.Load(Path.Combine(championDir, EvaluationReportFile.FileName)),
            candidateDir, championDir, rows);
    }

    /// <summary>
    /// Writes the predictions to their source path and evaluates them into <paramref name="directory"/>; an evaluation
    /// already there whose source is unchanged (a re-run) is kept.
    /// </summary>
    private static string Evaluate(Predictions predictions, string directory, EvaluationOptions options, IProgressSink progress)
    {
        var metrics = Path.Combine(directory, EvaluationReportFile.FileName);
        if (File.Exists(metrics) && EvaluationReportFile.Load(metrics) is var kept && kept.Source == predictions.Source && SourceUnchanged(kept)) return directory;
        PredictionsCsv.Write(predictions.Source, predictions);
        // A stale evaluation of other bytes under this content-derived name (left by an older writer) is replaced.
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        EvaluationArtifact.Write(PredictionsEvaluator.Evaluate(PredictionsCsv.Read(predictions.Source), options, progress, "test"), directory);
        return directory;
    }
}
