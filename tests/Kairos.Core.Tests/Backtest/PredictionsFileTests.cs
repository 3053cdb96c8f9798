using Kairos.Backtest;
using Kairos.Errors;
using Kairos.Replay;
using Kairos.Tests.Replay;
using ParquetSharp;

namespace Kairos.Tests.Backtest;

public class PredictionsFileTests
{
    private static readonly long[] Times = Enumerable.Range(0, 10).Select(i => TestBars.Start + i * TestBars.Step).ToArray();

    private static long[]? BarTimes(string symbol) => symbol == "EURUSD" ? Times : null;

    private static string Csv(params string[] lines)
    {
        var path = Path.Combine(TestData.TempDirectory("kairos-predictions"), "p.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string T(int i) => ReplayTime.Format(Times[i]);

    [Fact]
    public void Read_GoodCsvWithExtraColumns_RowsInFileOrderWithLines()
    {
        var path = Csv("timestamp,symbol,p_long,session", $"{T(2)},EURUSD,0.61,EU", $"{Times[1]},EURUSD,0.2,EU", $"{T(5)},EURUSD,1,EU");

        var rows = PredictionsFile.Read(path, BarTimes);

        Assert.Equal([Times[2], Times[1], Times[5]], rows.Select(r => r.Time));
        Assert.Equal([2L, 3, 4], rows.Select(r => r.Line));
        Assert.Equal([0.61, 0.2, 1.0], rows.Select(r => r.PLong));
        Assert.Equal([Times[1], Times[2], Times[5]], PredictionsFile.Candidates(rows, "EURUSD").Select(c => c.Time));
    }

    [Fact]
    public void Read_EveryKindOfBadRow_ReportedTogetherWithLineFieldAndRule()
    {
        var path = Csv(
            "timestamp,symbol,p_long",
            $"{T(0)},EURUSD,0.5",
            $"{T(1)},EURUSD,1.2",
            $"{T(2)},EURUSD,NaN",
            $"{T(3)},GBPUSD,0.5",
            $"{ReplayTime.Format(Times[3] + 60)},EURUSD,0.5",
            $"{T(0)},EURUSD,0.7",
            "yesterday,EURUSD,0.5",
            $"{T(4)},EURUSD,abc",
            $"{T(5)},EURUSD",
            $"{T(6)},EURUSD,-0.1");

        var e = Assert.Throws<BadRowsException>(() => PredictionsFile.Read(path, BarTimes));

        Assert.Equal(
        [
            (3L, "p_long", "p-long-range"), (4, "p_long", "non-finite"), (5, "symbol", "unknown-symbol"), (6, "timestamp", "not-a-bar"),
            (7, "timestamp", "duplicate"), (8, "timestamp", "unparsable-time"), (9, "p_long", "unparsable-number"), (10, "row", "field-count"),
            (11, "p_long", "p-long-range"),
        ], e.Problems.Select(p => (p.Line, p.Field, p.Rule)));
        Assert.Contains("9 bad row(s)", e.Message);
        Assert.Contains("line 7, timestamp: [duplicate]", e.Message);
        Assert.Contains("repeats line 2", e.Message);
    }

    [Fact]
    public void Read_MissingColumn_NamesIt()
    {
        var e = Assert.Throws<DataException>(() => PredictionsFile.Read(Csv("timestamp,symbol,y_prob", $"{T(0)},EURUSD,0.5"), BarTimes));
        Assert.Equal("missing-column", e.Rule);
        Assert.Equal("p_long", e.Column);
    }

    [Fact]
    public void Read_Parquet_WithUnixSecondsAndTimestampColumns()
    {
        var dir = TestData.TempDirectory("kairos-predictions");
        var seconds = Path.Combine(dir, "seconds.parquet");
        using (var writer = new ParquetFileWriter(seconds, [new Column<long>("timestamp"), new Column<string>("symbol"), new Column<double>("p_long"), new Column<int>("eligible")]))
        using (var group = writer.AppendRowGroup())
        {
            using (var w = group.NextColumn().LogicalWriter<long>()) w.WriteBatch([Times[3], Times[4]]);
            using (var w = group.NextColumn().LogicalWriter<string>()) w.WriteBatch(["EURUSD", "EURUSD"]);
            using (var w = group.NextColumn().LogicalWriter<double>()) w.WriteBatch([0.7, 0.3]);
            using (var w = group.NextColumn().LogicalWriter<int>()) w.WriteBatch([1, 1]);
        }
        var stamped = Path.Combine(dir, "stamped.parquet");
        using (var writer = new ParquetFileWriter(stamped, [new Column<DateTime?>("timestamp"), new Column<string>("symbol"), new Column<double?>("p_long")]))
        using (var group = writer.AppendRowGroup())
        {
            using (var w = group.NextColumn().LogicalWriter<DateTime?>()) w.WriteBatch([DateTime.UnixEpoch.AddSeconds(Times[6]), DateTime.UnixEpoch.AddSeconds(Times[7] + 1), null]);
            using (var w = group.NextColumn().LogicalWriter<string>()) w.WriteBatch(["EURUSD", "EURUSD", "EURUSD"]);
            using (var w = group.NextColumn().LogicalWriter<double?>()) w.WriteBatch([0.9, 0.4, 0.5]);
        }

        var rows = PredictionsFile.Read(seconds, BarTimes);
        var e = Assert.Throws<BadRowsException>(() => PredictionsFile.Read(stamped, BarTimes));

        Assert.Equal([(Times[3], 0.7), (Times[4], 0.3)], rows.Select(r => (r.Time, r.PLong)));
        Assert.Equal([(3L, "not-a-bar"), (4L, "missing-value")], e.Problems.Select(p => (p.Line, p.Rule)));
    }
}
