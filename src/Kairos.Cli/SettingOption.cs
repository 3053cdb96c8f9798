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
}
