using Kairos.Calibration;
using Kairos.Errors;

namespace Kairos.Cli;

/// <summary>
/// The one place that maps failures to process exit codes. Documented in README.md ("Exit codes").
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Bad command line: unknown command or option, missing or malformed argument.</summary>
    public const int Usage = 1;
    /// <summary>Bad input or data: a file, line, column or setting breaks a rule.</summary>
    public const int BadInput = 2;
    /// <summary>An artifact failed verification (hash, schema, feature contract).</summary>
    public const int VerificationFailed = 3;
    /// <summary>A promotion gate rejected the candidate.</summary>
    public const int GateFailed = 4;
    /// <summary>An unexpected internal error (a bug): the stack trace is printed.</summary>
    public const int InternalError = 70;
    /// <summary>
    /// Another live process holds the lock this command needs (an output root under <c>kairos run</c>, a registry's writer
    /// lock); nothing was written and the same command can succeed later (<c>EX_TEMPFAIL</c> of sysexits.h, beside 70's
    /// <c>EX_SOFTWARE</c>). Not 2: the input is fine, retrying it unchanged is the right response.
    /// </summary>
    public const int Locked = 75;

    public static int For(Exception e) => e switch
    {
        DataException or BadRowsException or ConfigException or MissingCalibratorException or Kairos.Deep.Hybrid.TrainingDivergedException => BadInput,
        VerificationException => VerificationFailed,
        GateFailedException => GateFailed,
        LockedException => Locked,
        _ => InternalError,
    };
}
