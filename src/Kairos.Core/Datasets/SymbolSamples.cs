namespace Kairos.Datasets;

/// <summary>
/// What a build keeps in memory of one symbol once its part is on disk (<see cref="SymbolPart"/>): the eligible rows
/// with their decision times and label ends, the eligibility counts, and where the part is; every other per-bar value
/// (features, context, labels) is read back from the part column by column as the files are written.
/// </summary>
internal sealed class SymbolSamples
{
    public required string Directory { get; init; }
    public required SymbolInfo Info { get; set; }

    /// <summary>The symbol's bar count (rows of its part).</summary>
    public int Bars => (int)Info.Bars;

    /// <summary>The feature columns on disk.</summary>
    public required ColumnSpill Spill { get; init; }

    /// <summary>Bar rows of the eligible samples, ascending.</summary>
    public required int[] Rows { get; init; }

    /// <summary>Decision time of each eligible sample; dropped once the samples are merged in time order.</summary>
    public long[]? Times { get; set; }

    /// <summary>Label end of each eligible sample; dropped once the samples are merged in time order.</summary>
    public long[]? LabelEnds { get; set; }

    /// <summary>Bars per eligibility reason (indexed by the reason's value).</summary>
    public required long[] ReasonCounts { get; init; }

    /// <summary>Position of each eligible sample among all symbols' samples in time order (set by the merge).</summary>
    public int[] Sample { get; set; } = [];
}
