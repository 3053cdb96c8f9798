namespace Kairos.Snapshots;

/// <summary>
/// One input file of a snapshot and the symbol its bars belong to; <paramref name="AskPath"/>, when given, is a file of
/// ask bars on the same grid, joined to this file's (bid) bars.
/// </summary>
public sealed record SnapshotInput(string Path, string Symbol, string? AskPath = null);
