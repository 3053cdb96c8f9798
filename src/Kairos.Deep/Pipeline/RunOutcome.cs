using Kairos.Promotion;

namespace Kairos.Pipeline;

/// <summary>What a <c>kairos run</c> ended with: where everything is, the gate's verdict and the stages.</summary>
public sealed record RunOutcome
{
    public required string RunId { get; init; }
    public required string RunDirectory { get; init; }
    public required string Report { get; init; }
    public required string Bundle { get; init; }

    /// <summary><c>passed</c>, <c>failed</c> or <c>no_baseline</c> (first model of the registry: promoted without a comparison).</summary>
    public required GateOutcome Gate { get; init; }

    /// <summary>Why the gate decided so (failed rules, or the no-baseline rule).</summary>
    public required string GateReason { get; init; }

    public required bool GatePassed { get; init; }

    /// <summary>The registry version that is best after the run.</summary>
    public string? BestVersion { get; init; }

    /// <summary>The version that was best before the run (the gate's baseline and replay's A), if any.</summary>
    public string? BaselineVersion { get; init; }

    public required IReadOnlyList<RunStageRecord> Stages { get; init; }

    /// <summary>The families of <c>compare:</c> beside the chosen one on the same test rows (null without <c>compare:</c>).</summary>
    public Kairos.Evaluation.ModelComparison? Comparison { get; init; }
}
