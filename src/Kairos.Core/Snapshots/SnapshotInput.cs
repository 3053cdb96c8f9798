namespace Kairos.Snapshots;

/// <summary>One input file of a snapshot and the symbol its bars belong to.</summary>
public sealed record SnapshotInput(string Path, string Symbol);
