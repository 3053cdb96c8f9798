using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kairos.Tests.Commands;

/// <summary><c>--threads auto|N</c> on the commands that train: bad values exit 2 naming <c>--threads</c> before any work.</summary>
public class ThreadsOptionTests
{
    [Theory]
    [InlineData("train", "gbdt", "0")]
    [InlineData("train", "gbdt", "many")]
    [InlineData("train", "hybrid", "1.5")]
    [InlineData("train", "lstm", "0")]
    [InlineData("bench", "train", "auto2")]
    public void Threads_NotAutoOrAPositiveWholeNumber_ExitsTwoNamingTheOption(string command, string sub, string value)
    {
        var dir = TestData.TempDirectory();
        string[] rest = sub switch
        {
            "train" => ["--model", "hybrid"],
            _ => ["--dataset", Path.Combine(dir, "no-dataset"), "--out", Path.Combine(dir, "out")],
        };

        var r = KairosCli.Run([command, sub, .. rest, "--threads", value, "--json"]);

        Assert.Equal(2, r.ExitCode);
        using var error = JsonDocument.Parse(r.StandardOutput);
        Assert.Equal(2, error.RootElement.GetProperty("exit_code").GetInt32());
        Assert.StartsWith("--threads", error.RootElement.GetProperty("error").GetString());
        Assert.Contains($"'{value}' is not a thread setting: 'auto'", r.StandardError);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void Threads_Help_SaysAutoIsTheDefault()
    {
        var r = KairosCli.Run("train", "gbdt", "--help");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--threads", r.StandardOutput);
        var help = Regex.Replace(r.StandardOutput, @"\s+", " ");
        Assert.Contains("auto (the cores this process may use", help);
        Assert.Single(Regex.Matches(help, Regex.Escape("[default: auto]")));
    }
}
