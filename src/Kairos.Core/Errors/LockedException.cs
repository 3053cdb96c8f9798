namespace Kairos.Errors;

/// <summary>
/// Another live process holds the exclusive lock this command needs (exit code 75): nothing was written, and the same
/// command can succeed once the holder has finished. Names the locked path, the rule and, when it could be read, the
/// holder's pid.
/// </summary>
public sealed class LockedException : KairosException
{
    public LockedException(string path, string rule, string detail, int? holderPid)
        : base($"{path}: [{rule}] {detail}")
    {
        Path = path;
        Rule = rule;
        Detail = detail;
        HolderPid = holderPid;
    }

    public string Path { get; }

    /// <summary>Stable, machine-readable rule name such as <c>run-lock</c>.</summary>
    public string Rule { get; }

    public string Detail { get; }

    /// <summary>The pid of the process holding the lock, when its lock file named a running process.</summary>
    public int? HolderPid { get; }

    public override ExitCategory Category => ExitCategory.Locked;
}
