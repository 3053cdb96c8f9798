using Kairos.Bundles;
using Kairos.Evaluation;
using Kairos.Replay;

namespace Kairos.Promotion;

/// <summary>
/// A candidate to gate against a registry's best (<see cref="PromotionService.Decide"/>): its evaluation and lineage, the
/// snapshot whose bars both models are scored on, the gate's rules and where the re-scored champion's predictions and
/// evaluation are written.
/// </summary>
public sealed record PromotionRequest
{
    /// <summary>Registry root whose best version is the champion.</summary>
    public required string Registry { get; init; }

    public required IFeatureContractAuthority ContractAuthority { get; init; }

    public PromotionGateOptions Gate { get; init; } = new();

    /// <summary>How the re-scored champion (and the candidate on the common rows) are evaluated: the candidate's own options.</summary>
    public required EvaluationOptions Evaluation { get; init; }

    /// <summary>The candidate's evaluation directory (<c>metrics.json</c>; its <c>source</c> is the candidate's predictions).</summary>
    public required string CandidateEvaluation { get; init; }

    /// <summary>Trees artifact id of the candidate: with <see cref="CandidateRunId"/>, tells a candidate that is the best already.</summary>
    public required string CandidateTreesId { get; init; }

    /// <summary>Hybrid run id of the candidate.</summary>
    public required string CandidateRunId { get; init; }

    /// <summary>The candidate's snapshot: the champion is re-scored on its bars, through the champion's own pipeline.</summary>
    public required string Snapshot { get; init; }

    /// <summary>
    /// The candidate's symbols: the champion is re-scored on each one's bars (a pooled champion binds each as its
    /// <c>symbol_id</c>; a symbol outside its vocabulary is left out, like a row it does not find eligible), and paired
    /// with the candidate's rows of that symbol. Rows of other symbols are left out.
    /// </summary>
    public required IReadOnlyList<string> Symbols { get; init; }

    /// <summary>How the champion is opened and which of its outputs is its probability (the one the candidate is judged on).</summary>
    public required BundleReplayOptions Scoring { get; init; }

    /// <summary>Root under which <c>predictions/</c> and <c>evaluations/</c> of the comparison are written.</summary>
    public required string ArtifactsRoot { get; init; }

    /// <summary>Content-derived prefix of the files written for this comparison (the champion's version is appended).</summary>
    public required string ArtifactPrefix { get; init; }
}
