namespace Kairos.Evaluation;

/// <summary>The verdict of the promotion gate (written as JSON by <c>kairos promote</c>).</summary>
public sealed record PromotionVerdict
{
    public string Format { get; init; } = "kairos.promotion_verdict";
    public int SchemaVersion { get; init; } = 2;
    public int MinReaderVersion { get; init; } = 1;
    public required bool Passed { get; init; }
    public required string Candidate { get; init; }
    public required string Baseline { get; init; }
    public required PromotionGateOptions Options { get; init; }
    public required IReadOnlyList<GateRule> Rules { get; init; }

    /// <summary>
    /// How noise was judged in beyond-noise mode: <c>paired</c> (bootstrap of the differences on the same rows) or
    /// <c>unpaired</c> (the candidate's own interval), with the reason; null when the mode is off.
    /// </summary>
    public string? NoiseMethod { get; init; }

    /// <summary>
    /// The paired bootstrap of candidate minus baseline, whenever both prediction sets were available and held the same
    /// rows (the rules use it in beyond-noise mode only).
    /// </summary>
    public PairedComparison? Paired { get; init; }

    /// <summary>Both models on the same rows with the paired differences (schema version 2); null when they could not be paired.</summary>
    public SameRowsComparison? SameRows { get; init; }

    /// <summary>Why the two were not paired (predictions missing or changed, other rows); null when they were.</summary>
    public string? UnpairedReason { get; init; }

    /// <summary>Names of the failed rules.</summary>
    public IReadOnlyList<string> Failed => [.. Rules.Where(r => !r.Passed).Select(r => r.Name)];
}
