namespace Kairos.Bundles;

/// <summary>How probabilities are calibrated: required or not, method, and one calibrator per session.</summary>
public sealed record ModelCardCalibration
{
    public required bool Required { get; init; }
    public required string Method { get; init; }
    public required IReadOnlyList<SessionCalibration> PerSession { get; init; }
}
