namespace Kairos.Bundles;

/// <summary>One session's calibrator: method, bundle-relative file, rows it was fitted on and its ECE.</summary>
public sealed record SessionCalibration
{
    public required string Session { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    public long? FitRows { get; init; }
    public double? EceBefore { get; init; }
    public double? EceAfter { get; init; }
}
