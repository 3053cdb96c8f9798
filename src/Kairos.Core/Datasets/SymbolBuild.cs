using Kairos.Features;
using Kairos.Snapshots;

namespace Kairos.Datasets;

/// <summary>Context (features streamed to <see cref="Spill"/>), labels and eligibility of one symbol while its part is computed (<see cref="SymbolPart.Write"/>).</summary>
internal sealed class SymbolBuild
{
    public required BarSeries Bars { get; init; }
    public required FeatureTable Features { get; init; }
    public required LabelColumns Labels { get; init; }
    public required EligibilityReason[] Reasons { get; init; }
    public required SymbolInfo Info { get; set; }

    /// <summary>The feature values, on disk until the Parquet files are written.</summary>
    public required ColumnSpill Spill { get; init; }
}
