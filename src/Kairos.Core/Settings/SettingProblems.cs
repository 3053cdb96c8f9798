namespace Kairos.Settings;

/// <summary>
/// The problems of an options record, collected in order: each <c>NAME RULE, got VALUE</c> (invariant culture), the
/// setting named as <paramref name="name"/> calls its key (the key itself, a command's option, a dotted YAML key).
/// </summary>
public sealed class SettingProblems(Func<string, string> name)
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> All => _problems;

    /// <summary>Records a problem with <paramref name="key"/> unless <paramref name="ok"/>.</summary>
    public void Check(bool ok, string key, string rule, object? value)
    {
        if (!ok) _problems.Add(FormattableString.Invariant($"{name(key)} {rule}, got {value}"));
    }
}
