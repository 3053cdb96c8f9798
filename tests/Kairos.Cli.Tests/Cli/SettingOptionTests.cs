using System.Globalization;
using System.Text.RegularExpressions;
using Kairos.Deep.Runs;
using Kairos.Deep.Tft;
using Kairos.Settings;

namespace Kairos.Tests.Cli;

/// <summary>
/// A setting's <c>--help</c> entry is the setting's help line and range followed by its default, shown once (by
/// System.CommandLine, as for every option with a default).
/// </summary>
public class SettingOptionTests
{
    [Fact]
    public void Help_TrainTft_EverySettingShowsItsHelpRangeAndDefaultOnce()
    {
        var result = InProcessCli.Run("train", "tft", "--help");
        Assert.Equal(0, result.ExitCode);
        var entries = Entries(result.StandardOutput);
        var defaults = new TftTrainerOptions();
        IEnumerable<object> model = [TftModelOptions.Settings.Hidden, TftModelOptions.Settings.Heads, TftModelOptions.Settings.LstmLayers, TftModelOptions.Settings.Dropout];
        var settings = new SequenceTrainingSettings(defaults.Training).All.Concat(model).ToList();

        Assert.True(settings.Count > 10);
        foreach (var setting in settings)
        {
            // System.CommandLine writes a default with the value's ToString (the current culture).
            var (flag, description, shown) = setting switch
            {
                IntSetting i => (i.Flag, i.Description, i.Default.ToString(CultureInfo.CurrentCulture)),
                DoubleSetting d => (d.Flag, d.Description, d.Default.ToString(CultureInfo.CurrentCulture)),
                _ => throw new InvalidOperationException($"unexpected setting {setting}"),
            };
            Assert.True(entries.TryGetValue(flag, out var entry), $"no help entry for {flag}");
            Assert.Contains($"{description} [default: {shown}]", entry);
            Assert.Single(Regex.Matches(entry, "default"));
        }
        Assert.Contains($"[default: {defaults.Training.Epochs}]", entries["--epochs"]);
    }

    /// <summary>The help's option rows by their first flag, each with its wrapped lines joined and white space folded.</summary>
    private static Dictionary<string, string> Entries(string help)
    {
        var entries = new Dictionary<string, string>();
        string? current = null;
        foreach (var line in help.Split('\n'))
        {
            var match = Regex.Match(line, @"^\s{2}(-{1,2}[\w-]+)");
            if (match.Success)
            {
                current = match.Groups[1].Value;
                entries[current] = "";
            }
            else if (line.Trim().Length == 0 || !char.IsWhiteSpace(line.FirstOrDefault()))
            {
                current = null;
            }
            if (current is not null)
                entries[current] = Regex.Replace(entries[current] + " " + line, @"\s+", " ").Trim();
        }
        return entries;
    }
}
