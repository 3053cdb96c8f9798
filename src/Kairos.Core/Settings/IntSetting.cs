using System.Globalization;

namespace Kairos.Settings;

/// <summary>
/// A whole-number setting defined once: its key (the YAML key, and with dashes the command-line flag), its default,
/// the values it allows and its help line. The options record that holds it is the one source: its <c>Validate</c>,
/// the YAML readers (<c>YamlSection.Int(IntSetting)</c>) and the CLI options all read range, default and help from here,
/// so the three cannot drift apart. A setting shared by model families whose defaults differ (the deep trainers' epochs,
/// batch size, ...) is defined once with a general default; a family's view of it is <c>setting with { Default = ... }</c>,
/// the default taken from that family's options record.
/// </summary>
public sealed record IntSetting(string Key, int Default, int Min, int Max, string Help)
{
    /// <summary>The command-line flag: the key with dashes (<c>search_folds</c> becomes <c>--search-folds</c>).</summary>
    public string Flag => "--" + Key.Replace('_', '-');

    /// <summary>The allowed values as written in messages: <c>[2, 1000]</c>.</summary>
    public string Range => string.Create(CultureInfo.InvariantCulture, $"[{Min}, {Max}]");

    /// <summary>The rule a refused value breaks: <c>in [2, 1000]</c>; without an upper end, <c>positive</c> or <c>&gt;= 0</c>.</summary>
    public string Rule => Max < int.MaxValue ? "in " + Range : Min == 1 ? "positive" : string.Create(CultureInfo.InvariantCulture, $">= {Min}");

    public bool Allows(int value) => value >= Min && value <= Max;

    /// <summary>Why <paramref name="value"/> is refused, naming the key (the flag with <paramref name="flag"/>); null when it is allowed.</summary>
    public string? Problem(long value, bool flag = false) =>
        value >= Min && value <= Max ? null : string.Create(CultureInfo.InvariantCulture, $"{(flag ? Flag : Key)} must be {Rule}, got {value}");

    /// <summary>
    /// The help line with the range, as <c>--help</c> shows it; the option's default follows it there, added once by
    /// System.CommandLine (<c>[default: 10]</c>).
    /// </summary>
    public string Description => string.Create(CultureInfo.InvariantCulture, $"{Help} {Range}.");
}
