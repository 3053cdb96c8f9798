using Kairos.Journal;
using Kairos.Errors;

namespace Kairos.Serve.Tests;

/// <summary>The journal's segments: rollover at the size limit, reading back in order, a torn tail cut, corruption refused.</summary>
public class DecisionJournalTests
{
    private static JournalRecord Record(long seq) => new(seq, "EURUSD", new JournalBar(1_700_000_000 + seq * 300, 1.1, 1.2, 1.0, 1.15, 10, seq % 2 == 0 ? 0.0001 : null),
        new ServeDecision
        {
            Time = "t", Symbol = "EURUSD", Decision = seq % 3 == 0 ? "long" : "none", PLong = seq % 3 == 0 ? 0.61 : null, Eligible = true, Reason = null,
            Context = new DecisionContext("EU", "LOW", "UP", 5.5, 0.9, 1, 2), Model = new DecisionModel("v1", "b1", "c1"), LatencyUs = 42,
        });

    [Fact]
    public void Segments_RollOverAtTheLimit_AndReadBackInOrder()
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-journal"), "j");
        using (var journal = DecisionJournal.Open(dir, 2000, out var none, out _))
        {
            Assert.Empty(none);
            for (var seq = 1; seq <= 30; seq++)
            {
                journal.Append(Record(seq));
                if (seq % 3 == 0) journal.Commit();
            }
        }
        var segments = Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToArray();
        Assert.True(segments.Length >= 3, $"{segments.Length} segments");
        Assert.Equal("journal-000001.ndjson", Path.GetFileName(segments[0]));

        using var reopened = DecisionJournal.Open(dir, 2000, out var records, out var torn);

        Assert.Equal(0, torn);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.Equal(Record(30).Bar, records[^1].Bar);
        Assert.Null(records[0].Bar.Spread);
        Assert.Equal(0.61, records[2].Decision.PLong);
    }

    [Fact]
    public void TornLastLine_IsCut_OtherBadLines_AreRefused()
    {
        var dir = Path.Combine(TestData.TempDirectory("kairos-journal"), "j");
        using (var journal = DecisionJournal.Open(dir, 1 << 20, out _, out _))
        {
            for (var seq = 1; seq <= 5; seq++) journal.Append(Record(seq));
            journal.Commit();
        }
        var segment = Directory.GetFiles(dir).Single();
        var good = File.ReadAllBytes(segment);
        File.AppendAllText(segment, "{\"seq\":6,\"symbol\":\"EUR");

        using (var reopened = DecisionJournal.Open(dir, 1 << 20, out var records, out var torn))
        {
            Assert.Equal(5, records.Count);
            Assert.True(torn > 0);
        }
        Assert.Equal(good, File.ReadAllBytes(segment));

        var lines = File.ReadAllLines(segment);
        lines[2] = "not json";
        File.WriteAllLines(segment, lines);
        var e = Assert.Throws<DataException>(() => DecisionJournal.Open(dir, 1 << 20, out _, out _));
        Assert.Equal("journal-corrupt", e.Rule);
    }
}
