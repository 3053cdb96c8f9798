using Kairos.Errors;
using Kairos.Pipeline;

namespace Kairos.Tests.Run;

/// <summary>The <c>input:</c> section of a run configuration takes what <c>snapshot create</c> takes: zones, time formats, ask files.</summary>
public class RunConfigInputTests
{
    private static string Config(string dir, string input, string dataset = "dataset: {volume: absent}")
    {
        File.WriteAllText(Path.Combine(dir, "bid.csv"), "timestamp,open,high,low,close\n");
        File.WriteAllText(Path.Combine(dir, "ask.csv"), "timestamp,open,high,low,close\n");
        var path = Path.Combine(dir, "run.yaml");
        File.WriteAllText(path, input + "\n" + dataset + "\nregistry: out/registry\nout: out\n");
        return path;
    }

    [Fact]
    public void LoadFile_InputWithAskFilesTimeFormatAndShiftedZone_ReadsThem()
    {
        var dir = TestData.TempDirectory();

        var config = RunConfigLoader.LoadFile(Config(dir, """
            input:
              files: [bid.csv]
              ask_files: [ask.csv]
              symbol: GBPUSD
              timezone: America/New_York+7
              time_format: yyyyMMdd HH:mm
            """));

        Assert.Equal([Path.Combine(dir, "ask.csv")], config.AskInputs!);
        Assert.Equal("yyyyMMdd HH:mm", config.Read.TimeFormat);
        Assert.Equal("America/New_York+7", config.Read.TimeZone);
        Assert.Equal(Kairos.Features.VolumeSource.Absent, config.Dataset.Volume);
    }

    [Fact]
    public void LoadFile_AskFilesNotBesideEachFileAndBadTimeFormat_ReportsBoth()
    {
        var dir = TestData.TempDirectory();

        var e = Assert.Throws<ConfigException>(() => RunConfigLoader.LoadFile(Config(dir, """
            input:
              files: [bid.csv]
              ask_files: [ask.csv, missing.csv]
              symbol: GBPUSD
              time_format: mm
            """)));

        Assert.Contains(e.Problems, p => p.Contains("input.ask_files") && p.Contains("one ask file beside each of the 1 file(s), got 2"));
        Assert.Contains(e.Problems, p => p.Contains("missing.csv does not exist"));
        Assert.Contains(e.Problems, p => p.StartsWith("input.time format: 'mm'", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFile_WithoutAskFiles_HasNoneSoRunIdsStay()
    {
        var dir = TestData.TempDirectory();

        // Quote bars without a spread and no ask file: the dataset must not take its spread from the bars.
        var config = RunConfigLoader.LoadFile(Config(dir, "input: {files: [bid.csv], symbol: GBPUSD}", "dataset: {volume: absent, spread: {source: absent}}"));

        Assert.Null(config.AskInputs);
        Assert.Null(config.Read.TimeFormat);
    }

    [Fact]
    public void LoadFile_BarsWithoutSpreadNoAskFile_SpreadColumnReportedBeforeAnyStage()
    {
        var dir = TestData.TempDirectory();

        var e = Assert.Throws<ConfigException>(() => RunConfigLoader.LoadFile(Config(dir, "input: {files: [bid.csv], symbol: GBPUSD}")));

        Assert.Contains(e.Problems, p => p.StartsWith("dataset.spread.source: 'column'", StringComparison.Ordinal) && p.Contains("bid.csv has no spread"));
    }

    /// <summary>A real snapshot of the first 500 EURUSD M5 bars (spread column) under <paramref name="dir"/>.</summary>
    private static string Snapshot(string dir)
    {
        var csv = Path.Combine(dir, "eurusd.csv");
        File.WriteAllLines(csv, File.ReadLines(TestData.File("EURUSD_M5_2025_mt5.csv")).Take(501));
        return new Kairos.Snapshots.SnapshotCreator(TimeProvider.System)
            .Create([new Kairos.Snapshots.SnapshotInput(csv, "EURUSD")], new Kairos.Snapshots.BarReadOptions(), Path.Combine(dir, "snapshots")).Snapshot.Directory;
    }

    [Fact]
    public void LoadFile_InputSnapshot_ReadsItInsteadOfFiles()
    {
        var dir = TestData.TempDirectory();
        var snapshot = Snapshot(dir);
        var relative = Path.GetRelativePath(dir, snapshot);

        var config = RunConfigLoader.LoadFile(Config(dir, $"input: {{snapshot: {relative}, symbol: EURUSD}}", "dataset: {}"));

        Assert.Equal(snapshot, config.Snapshot);
        Assert.Empty(config.Inputs);
    }

    [Fact]
    public void LoadFile_InputSnapshotWithFilesOrWithoutTheSymbolOrMissing_ReportsEach()
    {
        var dir = TestData.TempDirectory();
        var relative = Path.GetRelativePath(dir, Snapshot(dir));

        var both = Assert.Throws<ConfigException>(() => RunConfigLoader.LoadFile(Config(dir, $"input: {{snapshot: {relative}, files: [bid.csv], timezone: EET, symbol: EURUSD}}", "dataset: {}")));
        var symbol = Assert.Throws<ConfigException>(() => RunConfigLoader.LoadFile(Config(dir, $"input: {{snapshot: {relative}, symbol: GBPUSD}}", "dataset: {}")));
        var missing = Assert.Throws<ConfigException>(() => RunConfigLoader.LoadFile(Config(dir, "input: {snapshot: nowhere, symbol: EURUSD}", "dataset: {}")));

        Assert.Contains(both.Problems, p => p.StartsWith("input.files", StringComparison.Ordinal) && p.Contains("not with input.snapshot"));
        Assert.Contains(both.Problems, p => p.StartsWith("input.timezone", StringComparison.Ordinal) && p.Contains("not with input.snapshot"));
        Assert.Contains(symbol.Problems, p => p.StartsWith("input.symbol", StringComparison.Ordinal) && p.Contains("has no symbol 'GBPUSD'") && p.Contains("EURUSD"));
        Assert.Contains(missing.Problems, p => p.StartsWith("input.snapshot", StringComparison.Ordinal) && p.Contains("does not exist"));
    }
}
