using Kairos.Snapshots;

namespace Kairos.Features;

/// <summary>A resampled series, how many of its bars were built from fewer base bars than a full bucket, and whether a still-forming last bucket was left out.</summary>
public sealed record ResampleResult(BarSeries Series, int PartialBuckets, bool TrailingIncomplete);
