namespace Kairos.Errors;

/// <summary>
/// Invalid configuration or options (exit code 2). Carries every problem found, not just the first.
/// </summary>
public sealed class ConfigException : KairosException
{
    public ConfigException(string source, IReadOnlyList<string> problems)
        : base(Listed($"{source}: {problems.Count} problem(s) in configuration:", problems))
    {
        Source = source;
        Problems = problems;
    }

    public new string Source { get; }
    public IReadOnlyList<string> Problems { get; }

    public override ExitCategory Category => ExitCategory.BadInput;
}
