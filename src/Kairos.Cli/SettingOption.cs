using System.CommandLine;
using Kairos.Settings;

namespace Kairos.Cli;

/// <summary>
/// The command-line option of a setting defined once in the library (<see cref="IntSetting"/>, <see cref="DoubleSetting"/>):
/// its flag, help line (with the range; System.CommandLine adds the default) and default come from the setting; the range is checked where the
/// library checks it (the options record's <c>Validate</c>: exit 2 naming the key), not by the parser.
/// </summary>
public static class SettingOption
{
    public static Option<int> Create(IntSetting setting) =>
        new(setting.Flag) { Description = setting.Description, DefaultValueFactory = _ => setting.Default };

    public static Option<double> Create(DoubleSetting setting) =>
        new(setting.Flag) { Description = setting.Description, DefaultValueFactory = _ => setting.Default };

    /// <summary>A choice's option (<paramref name="flag"/> instead of the setting's for a per-side variant such as <c>--p-long-a</c>); read it with <see cref="Choice{T}"/>.</summary>
    public static Option<string> Create<T>(ChoiceSetting<T> setting, string? flag = null, string? description = null) where T : struct, Enum =>
        new(flag ?? setting.Flag) { Description = description ?? setting.Description, DefaultValueFactory = _ => ChoiceSetting<T>.Name(setting.Default) };

    /// <summary>The value of a choice's <paramref name="option"/>; a name the setting does not know is added to <paramref name="problems"/> (exit 2 with the others) and the default returned.</summary>
    public static T Choice<T>(ParseResult parse, Option<string> option, ChoiceSetting<T> setting, List<string> problems) where T : struct, Enum
    {
        var text = parse.GetValue(option);
        if (setting.Parse(text) is { } value) return value;
        problems.Add(setting.Problem(text, option.Name)!);
        return setting.Default;
    }
}
