using System.Globalization;

namespace Kairos.Settings;

/// <summary>
/// A whole-number setting defined once: its key (the YAML key, and with dashes the command-line flag), its default,
/// the values it allows and its help line. The options record that holds it is the one source: its <c>Validate</c>,
/// the YAML readers (<c>YamlSection.Int(IntSetting)</c>) and the CLI options all read range, default and help from here,
/// so the three cannot drift apart.
/// </summary>
public sealed record IntSetting(string Key, int Default, int Min, int Max, string Help)
{
    /// <summary>The command-line flag: the key with dashes (<c>search_folds</c> becomes <c>--search-folds</c>).</summary>
    public string Flag => "--" + Key.Replace('_', '-');

    /// <summary>The allowed values as written in messages: <c>[2, 1000]</c>.</summary>
    public string Range => string.Create(CultureInfo.InvariantCulture, $"[{Min}, {Max}]");

    public bool Allows(int value) => value >= Min && value <= Max;

    /// <summary>Why <paramref name="value"/> is refused, naming the key; null when it is allowed.</summary>
    public string? Problem(int value) => Allows(value) ? null : string.Create(CultureInfo.InvariantCulture, $"{Key} must be in {Range}, got {value}");

    /// <summary>The help line with the range and default, as <c>--help</c> shows it.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture, $"{Help} {Range}, default {Default}.");
}
