using System.CommandLine;
using Kairos.Replay;

namespace Kairos.Cli.Commands;

/// <summary>The time options (<c>--from</c>, <c>--to</c>) of the commands that stream bars: ISO-8601 dates or date-times in UTC.</summary>
public static class TimeOption
{
    /// <summary>The option's Unix seconds, null when not given; a bad value is added to <paramref name="problems"/>.</summary>
    public static long? Parse(ParseResult parse, Option<string?> option, List<string> problems)
    {
        var text = parse.GetValue(option);
        if (text is null) return null;
        if (ReplayTime.TryParse(text, out var t)) return t;
        problems.Add($"{option.Name} '{text}' is not an ISO-8601 date or date-time");
        return null;
    }
}
