using Kairos.Datasets;

namespace Kairos.Pipeline;

/// <summary>
/// The run config's <c>walkforward:</c> section (docs/run.md): how the bars are cut into windows
/// (<see cref="Schedule"/>), what each window trains (the run's own dataset, trees and hybrid settings, with the
/// optional <see cref="Trials"/> and <see cref="Epochs"/> overrides), and where the windows' work items live.
/// </summary>
public sealed record WalkForwardOptions
{
    public required WalkForwardSchedule Schedule { get; init; }

    /// <summary>Trees search trials per window; null: the run's <c>trees.trials</c>.</summary>
    public int? Trials { get; init; }

    /// <summary>Hybrid epochs per window; null: the run's <c>hybrid.epochs</c>.</summary>
    public int? Epochs { get; init; }

    /// <summary>Study storage of the windows' work items (<c>sqlite:PATH</c> or <c>postgres://...</c>); null: <c>sqlite:OUT/walkforward/studies.sqlite</c>.</summary>
    public string? Storage { get; init; }

    /// <summary>A window whose worker sent no heartbeat for this long is handed to another worker (its worker died).</summary>
    public int StaleAfterSeconds { get; init; } = 60;
}
