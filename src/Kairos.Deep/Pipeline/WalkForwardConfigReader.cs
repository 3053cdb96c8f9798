using Kairos.Datasets;
using YamlDotNet.RepresentationModel;

namespace Kairos.Pipeline;

/// <summary>
/// Reads the run config's optional <c>walkforward:</c> section (docs/run.md) into <see cref="WalkForwardOptions"/>,
/// adding every problem, with its dotted key and line, to the run config's list: they are reported together with the
/// rest of the config, before the first stage.
/// </summary>
internal static class WalkForwardConfigReader
{
    public static WalkForwardOptions? Read(YamlSection root, DatasetConfig? dataset, List<string> problems)
    {
        if (root.Node("walkforward") is null) return null;
        var w = root.Section("walkforward");
        CalendarPeriod? train = null;
        switch (w.Scalar("train"))
        {
            case null:
                w.Report("train", "required: the length of each training window (e.g. 6mo, 12w) or 'expanding'");
                break;
            case "expanding":
                break;
            case var text:
                train = Period(w, "train", text, "or 'expanding'");
                break;
        }
        var minTrain = w.Scalar("min_train") is { } m ? Period(w, "min_train", m, "") : null;
        var testText = w.Scalar("test");
        if (testText is null) w.Report("test", "required: the length of each test window (e.g. 1mo, 2w)");
        var test = testText is null ? null : Period(w, "test", testText, "");
        var step = w.Scalar("step") is { } s ? Period(w, "step", s, "") : test;
        var gap = w.Section("gap");
        var horizon = dataset?.Labels.Horizon ?? 12;
        var purge = gap.Int("purge", dataset?.PurgeBars ?? horizon, 0, 1_000_000);
        var embargo = gap.Int("embargo", dataset?.Splits.EmbargoBars ?? 12, 0, 1_000_000);
        gap.ReportUnknownKeys();
        var schedule = new WalkForwardSchedule
        {
            Train = train,
            MinTrain = minTrain,
            Test = test ?? new CalendarPeriod(1, TimeSpan.Zero),
            Step = step ?? new CalendarPeriod(1, TimeSpan.Zero),
            Validation = w.Double("validation", 0.2, 0.05, 0.5),
            FirstTest = w.Date("first_test"),
            MaxWindows = w.OptionalInt("windows", 1, 10_000),
            Purge = purge,
            Embargo = embargo,
        };
        var options = new WalkForwardOptions
        {
            Schedule = schedule,
            Trials = w.OptionalInt("trials", 0, 100_000),
            Epochs = w.OptionalInt("epochs", 1, 10_000),
            Storage = w.Scalar("storage"),
            StaleAfterSeconds = w.Int("stale_after_seconds", 60, 5, 86_400),
        };
        w.ReportUnknownKeys();
        if (test is not null && step is not null && Shorter(step.Value, test.Value))
            w.Report("step", $"{step} is shorter than test ({test}): test windows would overlap and the pooled predictions would count rows twice");
        if (options.Storage is { } storage && !(storage.StartsWith("sqlite:", StringComparison.Ordinal) || storage.StartsWith("postgres://", StringComparison.Ordinal) || storage.StartsWith("postgresql://", StringComparison.Ordinal)))
            w.Report("storage", $"'{storage}' is not a study storage (sqlite:PATH or postgres://user@host:port/database)");
        problems.AddRange(schedule.Problems(horizon).Where(p => !p.StartsWith("validation", StringComparison.Ordinal) && !p.StartsWith("windows", StringComparison.Ordinal))
            .Select(p => "walkforward." + p));
        return options;
    }

    private static CalendarPeriod? Period(YamlSection w, string key, string text, string alternative)
    {
        if (CalendarPeriod.TryParse(text, out var p)) return p;
        w.Report(key, $"'{text}' is not a length such as 6mo, 1y, 2w, 10d or 12h{(alternative.Length > 0 ? " " + alternative : "")}");
        return null;
    }

    /// <summary>True when <paramref name="a"/> is shorter than <paramref name="b"/> from some month start of a year (months differ in length).</summary>
    private static bool Shorter(CalendarPeriod a, CalendarPeriod b) =>
        Enumerable.Range(1, 12).Select(month => new DateTime(2001, month, 1, 0, 0, 0, DateTimeKind.Utc)).Any(d => a.AddTo(d) < b.AddTo(d));
}
