using Kairos.Bundles;
using Kairos.Progress;
using Kairos.Threading;

namespace Kairos.Pipeline;

/// <summary>How <see cref="PipelineRun"/> runs (not what it runs: that is <see cref="RunConfig"/>).</summary>
public sealed record PipelineRunOptions
{
    /// <summary>The running feature code's contract check (bundles, registry, replay).</summary>
    public required IFeatureContractAuthority ContractAuthority { get; init; }

    /// <summary>Code version (git commit) recorded in the lineage; null when unknown.</summary>
    public string? CodeVersion { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;

    public IRunObserver? Observer { get; init; }

    /// <summary>Decides the trees' and hybrid stages' <c>threads: auto</c> when each starts; null: a budget of the run (the machine's /proc).</summary>
    public ThreadBudget? Threads { get; init; }
}
