namespace Kairos.Errors;

/// <summary>
/// An artifact failed verification (exit code 3): a hash mismatch, a missing file, a contract mismatch.
/// </summary>
public sealed class VerificationException : KairosException
{
    public VerificationException(string artifact, IReadOnlyList<string> failures)
        : base(Listed($"{artifact}: verification failed:", failures))
    {
        Artifact = artifact;
        Failures = failures;
    }

    public string Artifact { get; }
    public IReadOnlyList<string> Failures { get; }

    public override ExitCategory Category => ExitCategory.VerificationFailed;
}
