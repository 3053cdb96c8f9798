using System.Text.Json;

namespace Kairos.Settings;

/// <summary>
/// A choice among the names of an enum, defined once (see <see cref="IntSetting"/>): its key (the YAML key, and with
/// dashes the command-line flag), its default and its help line. A value is written as its member's snake_case name
/// (<c>Auto</c> is <c>auto</c>); the YAML reader, the command-line option and <see cref="Parse"/> all take the names from
/// here, so they cannot drift apart.
/// </summary>
public sealed record ChoiceSetting<T>(string Key, T Default, string Help) where T : struct, Enum
{
    /// <summary>The command-line flag: the key with dashes (<c>p_long</c> becomes <c>--p-long</c>).</summary>
    public string Flag => "--" + Key.Replace('_', '-');

    /// <summary>Every allowed value's name, in the enum's order.</summary>
    public IReadOnlyList<string> Names => Enum.GetValues<T>().Select(Name).ToArray();

    /// <summary>The name a value is written as: the member's snake_case name.</summary>
    public static string Name(T value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>The value named <paramref name="text"/> (exactly, as <see cref="Names"/> writes it); null when none is.</summary>
    public T? Parse(string? text) => Enum.GetValues<T>().Select(v => (T?)v).FirstOrDefault(v => Name(v!.Value) == text);

    /// <summary>Why <paramref name="text"/> is refused, naming <paramref name="name"/> (default: the key); null when it names a value.</summary>
    public string? Problem(string? text, string? name = null) =>
        Parse(text) is null ? $"{name ?? Key} must be one of {string.Join(", ", Names)}, got '{text}'" : null;

    /// <summary>The help line with the values, as <c>--help</c> shows it (System.CommandLine adds the default).</summary>
    public string Description => $"{Help} One of {string.Join(", ", Names)}.";
}
