using Kairos.Errors;

namespace Kairos.Calibration;

/// <summary>
/// Calibration is required and no calibrator exists for a (session, bucket): a hard error, never a fallback
/// to raw scores. Names the session, the bucket and the path searched (exit code 2).
/// </summary>
public sealed class MissingCalibratorException : KairosException
{
    public MissingCalibratorException(string session, string bucket, string searchedPath, IReadOnlyList<string> available)
        : base($"no calibrator for session '{session}', bucket '{bucket}' in {searchedPath} " +
               $"(available: {(available.Count == 0 ? "none" : string.Join(", ", available))}); " +
               "calibration is required and raw scores are never used instead: fit a calibrator for this session and bucket.")
    {
        Session = session;
        Bucket = bucket;
        SearchedPath = searchedPath;
        Available = available;
    }

    public string Session { get; }
    public string Bucket { get; }
    public string SearchedPath { get; }

    /// <summary>The (session/bucket) keys the set does hold.</summary>
    public IReadOnlyList<string> Available { get; }

    public override ExitCategory Category => ExitCategory.BadInput;
}
