using Kairos.Errors;
using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

/// <summary><c>--ask</c>: a bid file and an ask file on the same grid joined into bid/ask bars.</summary>
public class BidAskJoinTests
{
    private const string Header = "timestamp,open,high,low,close\n";

    private static string Bars(params (int Minute, double Close)[] rows) =>
        Header + string.Concat(rows.Select(r => FormattableString.Invariant($"2012-02-01 00:{r.Minute:00}:00+00:00,{r.Close},{r.Close + 0.0002},{r.Close - 0.0002},{r.Close}\n")));

    private static IngestedFile Join(string bid, string ask, bool repair = false)
    {
        var dir = TestData.TempDirectory();
        var bidPath = SnapshotTestFiles.Write(dir, "bid.csv", bid);
        var askPath = SnapshotTestFiles.Write(dir, "ask.csv", ask);
        return BarFileReader.Read(File.ReadAllBytes(bidPath), bidPath, File.ReadAllBytes(askPath), askPath, "GBPUSD", new BarReadOptions { Repair = repair });
    }

    [Fact]
    public void Read_BidAndAskFiles_JoinsThemWithSpreadAskCloseMinusBidClose()
    {
        var r = Join(Bars((0, 1.5760), (1, 1.5758), (2, 1.5761)), Bars((0, 1.5761), (1, 1.5757), (2, 1.5762)));

        Assert.Equal(3, r.Series.Count);
        Assert.Equal([1.5761, 1.5757, 1.5762], r.Series.Ask!.Close);
        Assert.Equal([1.5760, 1.5758, 1.5761], r.Series.Close);
        Assert.Equal(1.5757 - 1.5758, r.Series.Spread![1]);
        Assert.Equal("ask_close - close (ask file)", r.Source.SpreadSource);
        Assert.Equal("ask.csv", r.Source.AskSource!.FileName);
        Assert.False(r.Series.HasVolume);
        Assert.Equal(1, ValidationReport.Of(r.Series, r.Source.BarSizeSource).Spread!.Negative);
    }

    [Fact]
    public void Read_TimeOnlyInTheAskFile_IsAnErrorNamingIt()
    {
        var e = Assert.Throws<DataException>(() => Join(Bars((0, 1.5760), (2, 1.5761), (3, 1.5761), (4, 1.5761)), Bars((0, 1.5761), (1, 1.5757), (2, 1.5762), (3, 1.5762), (4, 1.5762))));

        Assert.Equal(("unmatched-time", 3L, "timestamp"), (e.Rule, e.Line, e.Column));
        Assert.EndsWith("ask.csv", e.File);
        Assert.Contains("2012-02-01T00:01:00Z has no bar in bid.csv", e.Message);
    }

    [Fact]
    public void Read_TimeOnlyInTheBidFile_IsAnErrorNamingIt()
    {
        var e = Assert.Throws<DataException>(() => Join(Bars((0, 1.5760), (1, 1.5758), (2, 1.5761), (3, 1.5761), (4, 1.5761)), Bars((0, 1.5761), (2, 1.5762), (3, 1.5762), (4, 1.5762))));

        Assert.Equal(("unmatched-time", 3L), (e.Rule, e.Line));
        Assert.EndsWith("bid.csv", e.File);
    }

    [Fact]
    public void Read_UnmatchedTimesWithRepair_DropsAndRecordsThem()
    {
        var r = Join(Bars((0, 1.5760), (1, 1.5758), (3, 1.5761), (4, 1.5761)), Bars((0, 1.5761), (2, 1.5757), (3, 1.5762), (4, 1.5762)), repair: true);

        Assert.Equal(3, r.Series.Count);
        Assert.Equal([("ask.csv", 3L), ("bid.csv", 3L)], r.Repairs.Select(x => (x.File, x.Line)));
        Assert.All(r.Repairs, x => Assert.Equal(("unmatched-time", "dropped"), (x.Rule, x.Action)));
    }

    [Fact]
    public void Read_BidFileWithAskColumns_IsAnError()
    {
        var bid = "timestamp,open,high,low,close,ask_open,ask_high,ask_low,ask_close\n2012-02-01T00:00:00Z,1.1,1.2,1.0,1.1,1.1,1.2,1.0,1.1\n2012-02-01T00:01:00Z,1.1,1.2,1.0,1.1,1.1,1.2,1.0,1.1\n";

        var e = Assert.Throws<DataException>(() => Join(bid, Bars((0, 1.5761), (1, 1.5762))));

        Assert.Equal("ask-columns-twice", e.Rule);
    }
}
