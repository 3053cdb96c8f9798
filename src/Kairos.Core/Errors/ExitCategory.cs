namespace Kairos.Errors;

/// <summary>
/// What kind of failure a <see cref="KairosException"/> is. The library says which kind; the CLI maps each kind to one
/// process exit code in one place (<c>ExitCodes</c>, README "Exit codes").
/// </summary>
public enum ExitCategory
{
    /// <summary>Bad input or data: a file, line, column or setting breaks a rule (exit 2).</summary>
    BadInput,

    /// <summary>An artifact failed verification: a hash, file or manifest does not match (exit 3).</summary>
    VerificationFailed,

    /// <summary>A promotion gate rejected the candidate (exit 4).</summary>
    GateFailed,

    /// <summary>
    /// A native runtime this command needs is missing or cannot be loaded on this machine (libtorch): the input is fine
    /// and the code has no bug; install the runtime (exit 69, <c>EX_UNAVAILABLE</c> of sysexits.h).
    /// </summary>
    Unavailable,

    /// <summary>Another live process holds the lock this command needs; nothing was written, retry later (exit 75).</summary>
    Locked,
}
