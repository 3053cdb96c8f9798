using Kairos.Features;
using Kairos.Snapshots;

namespace Kairos.Datasets;

/// <summary>Features, labels and eligibility of one symbol during a build.</summary>
internal sealed class SymbolBuild
{
    public required BarSeries Bars { get; init; }
    public required FeatureTable Features { get; init; }
    public required LabelColumns Labels { get; init; }
    public required EligibilityReason[] Reasons { get; init; }
    public required SymbolInfo Info { get; set; }
}
