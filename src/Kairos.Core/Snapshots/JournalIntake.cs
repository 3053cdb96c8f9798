namespace Kairos.Snapshots;

/// <summary>
/// What <c>snapshot create --from-journal</c> took from the journal for one symbol: its journaled bars, those appended
/// (after the previous snapshot's last bar), those already in the previous snapshot (identical), those inside the
/// previous snapshot's range at a time it has no bar for (not taken), the gap between the previous last bar and the
/// first appended one, and the columns the previous snapshot does not have (dropped).
/// </summary>
public sealed record JournalIntake
{
    public required string Symbol { get; init; }
    public required long JournalBars { get; init; }
    public required long Appended { get; init; }
    public required long Identical { get; init; }
    public required long NotInSnapshot { get; init; }
    public long PreviousRows { get; init; }
    public DateTime? PreviousLast { get; init; }
    public DateTime? FirstAppended { get; init; }
    public DateTime? LastAppended { get; init; }
    /// <summary>Bars missing on the grid between the previous last bar and the first appended one (0: contiguous; null: nothing to compare).</summary>
    public long? GapBars { get; init; }
    /// <summary>Columns of the journal's bars not kept because the previous snapshot lacks them (<c>spread</c>, <c>volume</c>).</summary>
    public IReadOnlyList<string> DroppedColumns { get; init; } = [];
}
