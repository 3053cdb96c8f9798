namespace Kairos.Features;

/// <summary>What a passed look-ahead check compared: features, cut times, (row, column) values.</summary>
public sealed record LookaheadResult(int FeaturesChecked, IReadOnlyList<long> CutTimes, long ValuesCompared);
