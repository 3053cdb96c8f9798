namespace Kairos.Evaluation;

/// <summary>The verdict of the promotion gate (written as JSON by <c>kairos promote</c>).</summary>
public sealed record PromotionVerdict
{
    public string Format { get; init; } = "kairos.promotion_verdict";
    public int SchemaVersion { get; init; } = 1;
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

    /// <summary>The paired bootstrap of candidate minus baseline, when one was run.</summary>
    public PairedComparison? Paired { get; init; }

    /// <summary>Names of the failed rules.</summary>
    public IReadOnlyList<string> Failed => [.. Rules.Where(r => !r.Passed).Select(r => r.Name)];
}
