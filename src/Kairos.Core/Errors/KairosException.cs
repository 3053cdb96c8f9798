namespace Kairos.Errors;

/// <summary>
/// Base of every error Kairos raises on purpose. The CLI maps the concrete type to an exit code in
/// one place (<c>ExitCodes</c> in Kairos.Cli); library code never decides exit codes itself.
/// </summary>
public abstract class KairosException : Exception
{
    protected KairosException(string message, Exception? inner = null) : base(message, inner) { }
}
