using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Kairos.Cli;

namespace Kairos.Tests.Cli;

/// <summary>
/// An option with a default shows it once: System.CommandLine appends <c>[default: X]</c> to its help entry, so the
/// description does not say it again (a hand-written "(default X)" drifts from the real default).
/// </summary>
public class HelpDefaultsTests
{
    [Theory]
    [InlineData("pretrain")]
    [InlineData("train lstm")]
    [InlineData("bench pretraining")]
    [InlineData("bench latency")]
    [InlineData("snapshot create")]
    public void Options_WithADefault_DescriptionDoesNotRepeatIt(string path)
    {
        var command = path.Split(' ').Aggregate((Command)KairosCommand.Build(), (c, name) => c.Subcommands.Single(s => s.Name == name));
        var withDefault = command.Options.Where(o => o.HasDefaultValue).ToList();

        Assert.NotEmpty(withDefault);
        foreach (var option in withDefault)
        {
            var shown = Convert.ToString(option.GetDefaultValue(), CultureInfo.CurrentCulture)!;
            var repeated = new Regex($@"default:?\s+{Regex.Escape(shown)}\b|\b{Regex.Escape(shown)} \(default\b", RegexOptions.IgnoreCase);
            Assert.False(repeated.IsMatch(option.Description ?? ""), $"{path} {option.Name}: \"{option.Description}\" repeats its default {shown}");
        }
    }

    [Fact]
    public void Help_BenchPretraining_DefaultShownOnceBySystemCommandLine()
    {
        var result = InProcessCli.Run("bench", "pretraining", "--help");

        Assert.Equal(0, result.ExitCode);
        var help = Regex.Replace(result.StandardOutput, @"\s+", " ");
        Assert.Contains("Comma-separated seeds. [default: 1,2,3]", help);
        Assert.DoesNotContain("(default 1,2,3)", help);
    }
}
