namespace Kairos.Datasets;

/// <summary>Sample indices of one split and how many samples its purge and embargo removed.</summary>
internal sealed record SplitSelection(int[] Rows, int Purged, int Embargoed);
