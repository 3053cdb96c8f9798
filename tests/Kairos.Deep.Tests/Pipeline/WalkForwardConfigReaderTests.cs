using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Pipeline;

namespace Kairos.Tests.Pipeline;

/// <summary>The run config's <c>walkforward:</c> section, read with the rest of the config (<see cref="RunConfigLoader"/>).</summary>
public class WalkForwardConfigReaderTests
{
    private static RunConfig Parse(string walkForward, string dataset = "dataset: {seq_len: 12}")
    {
        var dir = TestData.TempDirectory("kairos-wf-config");
        File.WriteAllText(Path.Combine(dir, "bars.csv"), "timestamp,open,high,low,close,volume,spread\n");
        var yaml = $"input: {{files: [bars.csv], symbol: EURUSD}}\n{dataset}\nregistry: out/registry\nout: out\n{walkForward}";
        return RunConfigLoader.Parse(yaml, Path.Combine(dir, "run.yaml"));
    }

    [Fact]
    public void Parse_NoSection_NoWalkForward() => Assert.Null(Parse("").WalkForward);

    [Fact]
    public void Parse_EveryKey_Read()
    {
        var config = Parse("""
            walkforward:
              train: 6mo
              test: 1mo
              step: 1mo
              validation: 0.25
              gap: {purge: 24, embargo: 6}
              first_test: 2025-07-01
              windows: 4
              trials: 10
              epochs: 2
              storage: sqlite:wf.db
              stale_after_seconds: 30
            """);

        var w = config.WalkForward!;
        Assert.Equal(new CalendarPeriod(6, TimeSpan.Zero), w.Schedule.Train);
        Assert.Equal(new CalendarPeriod(1, TimeSpan.Zero), w.Schedule.Test);
        Assert.Equal(new CalendarPeriod(1, TimeSpan.Zero), w.Schedule.Step);
        Assert.Equal(0.25, w.Schedule.Validation);
        Assert.Equal(24, w.Schedule.Purge);
        Assert.Equal(6, w.Schedule.Embargo);
        Assert.Equal(new DateTime(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc), w.Schedule.FirstTest);
        Assert.Equal(4, w.Schedule.MaxWindows);
        Assert.Equal(10, w.Trials);
        Assert.Equal(2, w.Epochs);
        Assert.Equal("sqlite:wf.db", w.Storage);
        Assert.Equal(30, w.StaleAfterSeconds);
    }

    [Fact]
    public void Parse_ExpandingWithDefaults_GapFromTheDatasetStepFromTest()
    {
        var config = Parse("walkforward: {train: expanding, min_train: 3mo, test: 2w}", "dataset: {seq_len: 12, splits: {embargo_bars: 5}}");

        var s = config.WalkForward!.Schedule;
        Assert.Null(s.Train);
        Assert.Equal(new CalendarPeriod(3, TimeSpan.Zero), s.MinTrain);
        Assert.Equal(new CalendarPeriod(0, TimeSpan.FromDays(14)), s.Step);
        Assert.Equal(config.Dataset.Labels.Horizon, s.Purge);
        Assert.Equal(5, s.Embargo);
        Assert.Equal(0.2, s.Validation);
        Assert.Null(config.WalkForward.Trials);
        Assert.Equal(60, config.WalkForward.StaleAfterSeconds);
    }

    [Fact]
    public void Parse_BadSection_EveryProblemWithKeyAndLineTogether()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("""
            walkforward:
              train: half a year
              test: 1mo
              step: 2w
              validation: 0.9
              gap: {purge: 3, embargo: -1}
              windows: 0
              storage: mysql://db
              colour: blue
            """));

        var text = string.Join("\n", e.Problems);
        Assert.Contains("walkforward.train (line 6): 'half a year' is not a length", text);
        Assert.Contains("walkforward.step (line 8): 2w is shorter than test (1mo)", text);
        Assert.Contains("walkforward.validation (line 9)", text);
        Assert.Contains("walkforward.gap.embargo (line 10)", text);
        Assert.Contains("walkforward.gap.purge: 3 bars is shorter than the label horizon", text);
        Assert.Contains("walkforward.windows (line 11)", text);
        Assert.Contains("walkforward.storage (line 12): 'mysql://db' is not a study storage", text);
        Assert.Contains("walkforward.colour (line 13): unknown key", text);
    }

    [Fact]
    public void Parse_MissingTrainAndTest_BothRequired()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("walkforward: {step: 1mo}"));

        Assert.Contains(e.Problems, p => p.StartsWith("walkforward.train", StringComparison.Ordinal) && p.Contains("required", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("walkforward.test", StringComparison.Ordinal) && p.Contains("required", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFile_WalkForwardExample_TwoMonthsTrainMonthlyTestsNoSearchOneEpoch()
    {
        var config = RunConfigLoader.LoadFile(Path.Combine(TestData.RepositoryRoot, "examples", "eurusd_m5_walkforward.yaml"));

        var w = config.WalkForward!;
        Assert.Equal("2mo", w.Schedule.Train.ToString());
        Assert.Equal("1mo", w.Schedule.Test.ToString());
        Assert.Equal("1mo", w.Schedule.Step.ToString());
        Assert.Equal(0, w.Trials);
        Assert.Equal(1, w.Epochs);
        Assert.Equal(24, w.Schedule.Purge + w.Schedule.Embargo);
    }
}
