using System.CommandLine;
using Kairos.Errors;
using Kairos.Threading;

namespace Kairos.Cli;

/// <summary>
/// <c>--threads auto|N</c> of every command that trains or scores: <c>auto</c> (the default) or a positive whole number.
/// A bad value is a setting that breaks a rule (exit 2, naming <c>--threads</c>), as in the run YAML.
/// </summary>
public static class ThreadsOption
{
    public const string Name = "--threads";

    public static Option<string> Create(string library) => new(Name)
    {
        Description = $"{library} threads: auto (the cores this process may use, less those other processes keep busy, decided when the work starts) or a whole number.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>The setting given (default auto); throws <see cref="ConfigException"/> naming <c>--threads</c> for anything else.</summary>
    public static ThreadSetting Read(ParseResult parse, Option<string> option)
    {
        var text = parse.GetValue(option);
        return ThreadSetting.TryParse(text, out var setting, out var problem) ? setting : throw new ConfigException(Name, [problem!]);
    }
}
