namespace Kairos.Errors;

/// <summary>
/// Base of every error Kairos raises on purpose. Each type says which kind of failure it is
/// (<see cref="Category"/>); the CLI maps the kind to an exit code in one place (<c>ExitCodes</c> in Kairos.Cli), so
/// library code never decides exit codes itself and a new exception type cannot end as "internal error" by omission.
/// </summary>
public abstract class KairosException : Exception
{
    protected KairosException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The kind of failure, mapped to the process exit code by the CLI.</summary>
    public abstract ExitCategory Category { get; }

    /// <summary>A message's heading, then one indented <c>  - item</c> line per item: how an error lists every problem it found.</summary>
    protected static string Listed<T>(string heading, IEnumerable<T> items) =>
        heading + Environment.NewLine + string.Join(Environment.NewLine, items.Select(item => "  - " + item));
}
