using System.Text.Json.Nodes;
using Kairos.Errors;
using Kairos.Journal;
using Kairos.Snapshots;
using Kairos.Tests.Bundles;

namespace Kairos.Serve.Tests;

/// <summary>
/// <c>snapshot create --from-journal [--append-to]</c> on real EURUSD M5 bars journaled by the service's own journal
/// writer: the grown snapshot equals a snapshot of the same bars made from the CSV; overlap, gaps, conflicts, torn
/// tails, rule-breaking lines; nothing half-written on failure.
/// </summary>
public class SnapshotFromJournalTests
{
    private const string Symbol = "EURUSD";

    private sealed class Slice
    {
        public Slice(int firstBars)
        {
            Directory = TestData.TempDirectory("kairos-journal-snapshot");
            Lines = File.ReadLines(TestData.File("EURUSD_M5_2025_mt5.csv")).Take(6001).ToArray();
            Root = Path.Combine(Directory, "snapshots");
            First = Create(firstBars, "first.csv");
            All = Snapshot.Open(Create(6000, "all.csv")).ReadBars(Symbol);
        }

        public string Directory { get; }
        public string[] Lines { get; }
        public string Root { get; }
        public string First { get; }
        /// <summary>The first 6,000 bars, read through the CSV reader.</summary>
        public BarSeries All { get; }

        public string Create(int bars, string name)
        {
            var csv = Path.Combine(Directory, name);
            File.WriteAllLines(csv, Lines.Take(bars + 1));
            return new SnapshotCreator(TimeProvider.System).Create([new SnapshotInput(csv, Symbol)], new BarReadOptions(), Path.Combine(Directory, "csv-" + name)).Snapshot.Directory;
        }

        /// <summary>Journals bars [from, to) of <see cref="All"/> with the service's writer (small segments: several files).</summary>
        public string Journal(int from, int to, Func<int, JournalBar, JournalBar>? edit = null)
        {
            var dir = Path.Combine(TestData.TempDirectory("kairos-journal-dir"), "journal");
            using var journal = DecisionJournal.Open(dir, 64 * 1024, out _, out _);
            for (var i = from; i < to; i++)
            {
                var b = new JournalBar(All.Time[i], All.Open[i], All.High[i], All.Low[i], All.Close[i], All.Volume[i], All.Spread![i]);
                journal.Append(new JournalRecord(i - from + 1, Symbol, edit is null ? b : edit(i, b), Decision(All.Time[i])));
                if (i % 7 == 0) journal.Commit();
            }
            return dir;
        }

        private static ServeDecision Decision(long time) => new()
        {
            Time = DateTimeOffset.FromUnixTimeSeconds(time).ToString("O"), Symbol = Symbol, Decision = "none", PLong = 0.5, Eligible = true, Reason = "below_threshold",
            Context = new DecisionContext("EU", "LOW", "UP", 5.5, 0.9, 1, 2), Model = new DecisionModel("v1", "b1", "c1"), LatencyUs = 42,
        };
    }

    private static SnapshotCreator Creator => new(TimeProvider.System);

    private static void AssertSameBars(BarSeries expected, int count, BarSeries actual)
    {
        Assert.Equal(count, actual.Count);
        Assert.Equal(expected.Time.Take(count), actual.Time);
        Assert.Equal(expected.Open.Take(count), actual.Open);
        Assert.Equal(expected.High.Take(count), actual.High);
        Assert.Equal(expected.Low.Take(count), actual.Low);
        Assert.Equal(expected.Close.Take(count), actual.Close);
        Assert.Equal(expected.Volume.Take(count), actual.Volume);
        Assert.Equal(expected.Spread!.Take(count), actual.Spread!);
    }

    /// <summary>The error's file and line are the journal line of record <paramref name="seq"/>.</summary>
    private static void AssertNamesRecord(DataException e, long seq)
    {
        Assert.NotNull(e.Line);
        var line = File.ReadLines(e.File).ElementAt((int)e.Line!.Value - 1);
        Assert.StartsWith($"{{\"seq\":{seq},", line);
    }

    [Fact]
    public void AppendTo_OverlappingJournal_NewSnapshotHoldsPreviousBarsThenTheJournalsAfterTheLastBar()
    {
        var s = new Slice(4000);
        var journal = s.Journal(3500, 6000);
        var segments = JournalSegments.List(journal);
        Assert.True(segments.Count >= 3, $"{segments.Count} segments");
        // A torn last line (a write in progress): left out and left alone.
        File.AppendAllText(segments[^1], "{\"seq\":2501,\"symbol\":\"EURUSD\",\"bar\":{\"time\":");
        var tornBytes = File.ReadAllBytes(segments[^1]);

        var r = Creator.CreateFromJournal(journal, s.First, s.Root);

        Assert.True(r.Result.Created);
        var grown = r.Result.Snapshot;
        Assert.NotEqual(Snapshot.Open(s.First).Id, grown.Id);
        Assert.Empty(grown.Verify());
        AssertSameBars(s.All, 6000, grown.ReadBars(Symbol));
        var intake = Assert.Single(r.Symbols);
        Assert.Equal((2500L, 2000L, 500L, 0L, 0L), (intake.JournalBars, intake.Appended, intake.Identical, intake.NotInSnapshot, intake.GapBars!.Value));
        Assert.Equal(2500, r.Records);
        Assert.Equal(segments[^1], r.Torn!.Path);
        Assert.Equal(tornBytes, File.ReadAllBytes(segments[^1]));
        var sources = grown.Manifest.Symbols[0].Sources;
        Assert.Equal(["csv", SnapshotCreator.JournalFormat], sources.Select(x => x.Format));
        Assert.Equal(2000, sources[1].Rows);
        // Content-addressed: the same journal again gives the same snapshot, not another.
        var again = Creator.CreateFromJournal(journal, s.First, s.Root);
        Assert.False(again.Result.Created);
        Assert.Equal(grown.Id, again.Result.Snapshot.Id);
        // Appending the same journal to the grown snapshot adds nothing: its id comes back.
        var none = Creator.CreateFromJournal(journal, grown.Directory, s.Root);
        Assert.Equal(grown.Id, none.Result.Snapshot.Id);
        Assert.Equal(0, none.Symbols[0].Appended);
        Assert.Equal(2500, none.Symbols[0].Identical);
    }

    [Fact]
    public void AppendTo_JournalStartingLater_GapAllowedAndReported_NoJournalIsOneSnapshotOfItsBars()
    {
        var s = new Slice(3000);
        var journal = s.Journal(3100, 3400);

        var r = Creator.CreateFromJournal(journal, s.First, s.Root);

        var bars = r.Result.Snapshot.ReadBars(Symbol);
        Assert.Equal(3300, bars.Count);
        Assert.Equal(s.All.Time[2999], bars.Time[2999]);
        Assert.Equal(s.All.Time[3100], bars.Time[3000]);
        Assert.Equal((s.All.Time[3100] - s.All.Time[2999]) / 300 - 1, r.Symbols[0].GapBars);
        Assert.True(r.Symbols[0].GapBars >= 100);
        Assert.Empty(r.Result.Snapshot.Verify());

        // Without --append-to: the journal's bars alone, bar size inferred.
        var alone = Creator.CreateFromJournal(journal, null, Path.Combine(s.Directory, "alone"));
        var only = alone.Result.Snapshot.ReadBars(Symbol);
        Assert.Equal(s.All.Time.Skip(3100).Take(300), only.Time);
        Assert.Equal(TimeSpan.FromMinutes(5), only.BarSize);
        Assert.Null(alone.Symbols[0].GapBars);
    }

    [Fact]
    public void Journal_BarsSentWithoutVolume_SnapshotHasNoVolumeColumn_AppendToOneWithVolumeIsRefused()
    {
        var s = new Slice(3000);
        var journal = s.Journal(3000, 3400, (_, b) => b with { Volume = null });

        var alone = Creator.CreateFromJournal(journal, null, Path.Combine(s.Directory, "no-volume"));
        var append = Assert.Throws<DataException>(() => Creator.CreateFromJournal(journal, s.First, s.Root));

        var entry = Assert.Single(alone.Result.Snapshot.Manifest.Symbols);
        Assert.False(entry.HasVolume);
        Assert.False(alone.Result.Snapshot.ReadBars(Symbol).HasVolume);
        Assert.Equal("bar.volume", append.Column);
        Assert.Equal("missing-column", append.Rule);
        Assert.Contains("has no volume", append.Detail);
        AssertNamesRecord(append, 1);
        Assert.False(Directory.Exists(s.Root));
        // Bars with volume still make a volume column (zero volume is a volume).
        var zero = Creator.CreateFromJournal(s.Journal(3000, 3400, (_, b) => b with { Volume = 0 }), null, Path.Combine(s.Directory, "zero-volume"));
        Assert.True(zero.Result.Snapshot.ReadBars(Symbol).HasVolume);
    }

    [Fact]
    public void AppendTo_ConflictingBarAtTheSameTime_ErrorNamesSymbolTimeAndField_NothingWritten()
    {
        var s = new Slice(4000);
        var journal = s.Journal(3500, 4500, (i, b) => i == 3777 ? b with { Close = b.Close + 0.00001, High = Math.Max(b.High, b.Close + 0.00001) } : b);

        var e = Assert.Throws<DataException>(() => Creator.CreateFromJournal(journal, s.First, s.Root));

        Assert.Equal(SnapshotCreator.ConflictingBar, e.Rule);
        Assert.Contains(DateTimeOffset.FromUnixTimeSeconds(s.All.Time[3777]).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), e.Detail);
        Assert.Contains(Symbol, e.Detail);
        Assert.True(e.Column is "bar.high" or "bar.close", e.Column);
        AssertNamesRecord(e, 3777 - 3500 + 1);
        Assert.False(Directory.Exists(s.Root), "nothing may be written: " + string.Join(", ", Directory.Exists(s.Root) ? Directory.GetFileSystemEntries(s.Root) : []));
    }

    [Fact]
    public void Journal_LineBreakingARowRuleOrNotARecord_IsRefusedNamingFileLineAndRule()
    {
        var s = new Slice(1000);
        var journal = s.Journal(1000, 1200, (i, b) => i == 1050 ? b with { High = b.Low - 0.0001 } : b);

        var e = Assert.Throws<DataException>(() => Creator.CreateFromJournal(journal, s.First, s.Root));
        Assert.Equal(BarRowRules.HighBelowLow, e.Rule);
        Assert.Equal("bar.high", e.Column);
        AssertNamesRecord(e, 51);

        var good = s.Journal(1000, 1200);
        var first = JournalSegments.List(good)[0];
        var lines = File.ReadAllLines(first);
        lines[9] = "{\"seq\":10}";
        File.WriteAllLines(first, lines);
        var corrupt = Assert.Throws<DataException>(() => Creator.CreateFromJournal(good, s.First, s.Root));
        Assert.Equal(JournalSegments.CorruptRule, corrupt.Rule);
        Assert.Equal(10, corrupt.Line);
        Assert.Equal(first, corrupt.File);
    }

    [Fact]
    public void Cli_FromJournal_ExitCodesAndJson()
    {
        var s = new Slice(2000);
        var journal = s.Journal(1990, 2300);

        var ok = KairosCli.Run("snapshot", "create", "--from-journal", journal, "--append-to", s.First, "--out", s.Root, "--verify", "--json");
        Assert.True(ok.ExitCode == 0, ok.StandardError);
        var json = JsonNode.Parse(ok.StandardOutput)!;
        Assert.Equal(300, (long)json["intake"]![0]!["appended"]!);
        Assert.True((bool)json["verified"]!);
        AssertSameBars(s.All, 2300, Snapshot.Open((string)json["directory"]!).ReadBars(Symbol));

        var conflicting = s.Journal(1990, 2300, (i, b) => i == 1995 ? b with { Volume = b.Volume + 1 } : b);
        var refused = KairosCli.Run("snapshot", "create", "--from-journal", conflicting, "--append-to", s.First, "--out", Path.Combine(s.Directory, "refused"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("conflicting-bar", refused.StandardError);
        Assert.Contains("bar.volume", refused.StandardError);
        Assert.False(Directory.Exists(Path.Combine(s.Directory, "refused")));

        var mixed = KairosCli.Run("snapshot", "create", "--from-journal", journal, "--symbol", "EURUSD", "--out", s.Root);
        Assert.Equal(1, mixed.ExitCode);
        Assert.Contains("--symbol does not apply with --from-journal", mixed.StandardError);
        var alone = KairosCli.Run("snapshot", "create", "--append-to", s.First, "--input", "x.csv", "--symbol", "EURUSD", "--out", s.Root);
        Assert.Equal(1, alone.ExitCode);
        Assert.Contains("--append-to only applies with --from-journal", alone.StandardError);
        var neither = KairosCli.Run("snapshot", "create", "--out", s.Root);
        Assert.Equal(1, neither.ExitCode);
        Assert.Contains("--input is required", neither.StandardError);
    }

    [Fact]
    public void Link_PointsAtTheLatestSnapshot_FollowedByOpen_SkippedByList_NeverAPlainDirectory()
    {
        var s = new Slice(1000);
        var grown = Creator.CreateFromJournal(s.Journal(1000, 1100), s.First, s.Root).Result.Snapshot;
        var current = Path.Combine(s.Root, "current");

        SnapshotLink.Point(current, Snapshot.Open(s.First));
        Assert.Equal(Snapshot.Open(s.First).Id, Snapshot.Open(current).Id);
        SnapshotLink.Point(current, grown);

        var opened = Snapshot.Open(current);
        Assert.Equal(grown.Id, opened.Id);
        Assert.Empty(opened.Verify());
        Assert.False(Path.IsPathRooted(new FileInfo(current).LinkTarget!), "a relative target: the root can move");
        Assert.Equal([grown.Id], SnapshotCatalog.List(s.Root).Select(l => l.Id));
        // Nothing else under the root: no temporary link left behind.
        Assert.Equal(new[] { "current", grown.Id }.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(s.Root).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal));
        var e = Assert.Throws<ConfigException>(() => SnapshotLink.Point(grown.Directory, opened));
        Assert.Contains("not a symbolic link", e.Message);
    }
}
