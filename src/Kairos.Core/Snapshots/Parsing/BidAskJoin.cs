using Kairos.Errors;

namespace Kairos.Snapshots.Parsing;

/// <summary>
/// Joins a bid bar file and an ask bar file of the same symbol and bar grid into bid/ask bars
/// (<c>spread = ask_close - close</c>). A time in one file and not the other is an error naming it, or, when
/// repairing, the row is dropped and recorded.
/// </summary>
internal static class BidAskJoin
{
    public static IngestedFile Join(IngestedFile bid, IngestedFile ask, BarReadOptions options)
    {
        var b = bid.Series;
        var a = ask.Series;
        foreach (var (file, name) in new[] { (bid, "bid"), (ask, "ask") })
            if (file.Series.Ask is not null)
                throw new DataException(file.Source.Path, 1, "ask_open", "ask-columns-twice",
                    $"the {name} file already has ask_* columns; --ask takes a file of ask bars with plain open,high,low,close columns");
        if (b.BarSize != a.BarSize)
            throw new DataException(ask.Source.Path, null, null, "bar-size-mismatch",
                $"bar size {BarRules.FormatBarSize(ask.Source.BarSizeSeconds)} differs from {BarRules.FormatBarSize(bid.Source.BarSizeSeconds)} of the bid file {bid.Source.FileName}");
        var repairs = new List<RepairRecord>(bid.Repairs);
        repairs.AddRange(ask.Repairs);
        var cols = new BarColumns(Math.Min(b.Count, a.Count), hasSpread: true, hasAsk: true, hasVolume: b.HasVolume);
        var lines = new List<long>(Math.Min(b.Count, a.Count));
        int i = 0, j = 0;
        while (i < b.Count || j < a.Count)
        {
            if (j >= a.Count || (i < b.Count && b.Time[i] < a.Time[j]))
            {
                Unmatched(bid, i, ask, options, repairs);
                i++;
                continue;
            }
            if (i >= b.Count || a.Time[j] < b.Time[i])
            {
                Unmatched(ask, j, bid, options, repairs);
                j++;
                continue;
            }
            Copy(cols, b, i, a, j);
            lines.Add(bid.Lines[i]);
            i++;
            j++;
        }
        if (cols.Count == 0)
            throw new DataException(bid.Source.Path, null, null, "no-rows", $"no time of the bid file is in the ask file {ask.Source.FileName}");
        repairs.Sort((x, y) => x.File == y.File ? x.Line.CompareTo(y.Line) : string.CompareOrdinal(x.File, y.File));
        var series = cols.ToSeries(b.Symbol, b.BarSize);
        var source = bid.Source with
        {
            Rows = series.Count,
            SpreadSource = "ask_close - close (ask file)",
            AskSource = ask.Source,
            FirstTime = series.TimeUtc(0),
            LastTime = series.TimeUtc(series.Count - 1),
        };
        return new IngestedFile(series, source, repairs, lines);
    }

    private static void Copy(BarColumns cols, BarSeries b, int i, BarSeries a, int j)
    {
        cols.EnsureRoom();
        var r = cols.Count++;
        cols.Time[r] = b.Time[i];
        cols.Open[r] = b.Open[i];
        cols.High[r] = b.High[i];
        cols.Low[r] = b.Low[i];
        cols.Close[r] = b.Close[i];
        cols.Volume[r] = b.Volume[i];
        cols.AskOpen![r] = a.Open[j];
        cols.AskHigh![r] = a.High[j];
        cols.AskLow![r] = a.Low[j];
        cols.AskClose![r] = a.Close[j];
        cols.Spread![r] = a.Close[j] - b.Close[i];
    }

    private static void Unmatched(IngestedFile file, int row, IngestedFile other, BarReadOptions options, List<RepairRecord> repairs)
    {
        var time = file.Series.Time[row];
        var line = file.Lines[row];
        var detail = $"time {DelimitedBarParser.Iso(time)} has no bar in {other.Source.FileName}: bid and ask files must hold the same bar times";
        if (!options.Repair) throw new DataException(file.Source.Path, line, "timestamp", "unmatched-time", detail);
        repairs.Add(new RepairRecord(file.Source.FileName, line, "timestamp", "unmatched-time", "dropped", detail));
    }
}
