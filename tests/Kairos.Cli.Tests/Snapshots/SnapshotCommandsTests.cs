using System.Globalization;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Kairos.Bundles;
using Kairos.Snapshots;
using Kairos.Tests.Bundles;
using Kairos.Artifacts;

namespace Kairos.Tests.Snapshots;

/// <summary>
/// <c>kairos snapshot create | verify | list</c> run as a process: malformed inputs (exit code, file, line,
/// column and rule in the message, nothing left behind), tampered snapshots (exit 3), repair, idempotence, the
/// temporary of a create killed with SIGKILL removed by the next create.
/// </summary>
public class SnapshotCommandsTests
{
    private const string Header = "timestamp,open,high,low,close,volume,spread_points,spread";
    private const string BidAskHeader = "timestamp,open,high,low,close,volume,ask_open,ask_high,ask_low,ask_close,spread";
    private const string Mt5Header = "time,open,high,low,close,tick_volume,spread,real_volume";

    /// <summary>A malformed input: files to write (name, bytes), extra arguments, and the error expected.</summary>
    public sealed record Case(string Name, (string File, byte[] Bytes)[] Files, string[] Args, string Rule, string ErrorFile, long? Line, string? Column)
    {
        public override string ToString() => Name;
    }

    private static string Time(int i, int stepMinutes = 5, int day = 6) =>
        new DateTime(2025, 1, day, 0, 0, 0, DateTimeKind.Utc).AddMinutes(stepMinutes * i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Row(int i, string? time = null, string o = "1.10000", string h = "1.10030", string l = "1.09980", string c = "1.10010",
        string v = "10", string sp = "7", string s = "0.00007") => $"{time ?? Time(i)},{o},{h},{l},{c},{v},{sp},{s}";

    /// <summary>Header + six valid M5 rows (lines 2..7), with row <paramref name="bad"/> replaced by <paramref name="replacement"/>.</summary>
    private static string Csv(int bad = -1, string? replacement = null, string header = Header)
    {
        var sb = new StringBuilder(header).Append('\n');
        for (var i = 0; i < 6; i++) sb.Append(i == bad ? replacement : Row(i)).Append('\n');
        return sb.ToString();
    }

    private static (string, byte[])[] One(string text, string name = "bars.csv") => [(name, Encoding.UTF8.GetBytes(text))];

    private static Case C(string name, string text, string rule, long? line, string? column, params string[] args) =>
        new(name, One(text), args, rule, "bars.csv", line, column);

    public static TheoryData<Case> MalformedInputs()
    {
        var valid = Csv();
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(valid)).ToArray();
        var m1 = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < 6; i++) m1.Append(Row(i, Time(i, 1, 8))).Append('\n');
        var overlapping = new StringBuilder(Header).Append('\n');
        for (var i = 4; i < 10; i++) overlapping.Append(Row(i)).Append('\n');
        var mt5 = Mt5Header + "\r\n2025.01.06 10:00:00,1.10000,1.10030,1.09980,1.10010,5,7,0\r\n2025.01.06 10:05:00,1.10000,1.10030,1.09980,1.10010,5,7,0\r\n";
        var mt5Ambiguous = Mt5Header + "\r\n2025.10.26 02:55:00,1.10000,1.10030,1.09980,1.10010,5,7,0\r\n2025.10.26 03:00:00,1.10000,1.10030,1.09980,1.10010,5,7,0\r\n";
        var bidAsk = BidAskHeader + "\n" +
            $"{Time(0)},1.1,1.2,1.0,1.1,0,1.1001,1.2001,1.0001,1.1001,0.0001\n" +
            $"{Time(1)},1.1,1.2,1.0,1.1,0,1.1001,1.0000,1.0001,1.1001,0.0001\n";
        var parquet = ParquetBytes();
        var garbage = Encoding.ASCII.GetBytes("PAR1").Concat(Enumerable.Repeat((byte)0x5A, 200)).Concat(Encoding.ASCII.GetBytes("PAR1")).ToArray();
        return
        [
            C("empty file", "", "empty-file", null, null),
            C("header only", Header + "\n", "no-rows", null, null),
            C("missing column", "timestamp,open,high,low,volume\n" + $"{Time(0)},1.1,1.2,1.0,5\n", "missing-column", 1, "close"),
            C("unparsable time", Csv(2, Row(2, "2025-01-06T25:00:00Z")), "unparsable-time", 4, "timestamp"),
            C("duplicate time", Csv(3, Row(3, Time(2))), "duplicate-time", 5, "timestamp"),
            C("out-of-order row", Csv(3, Row(3, Time(1))), "non-increasing-time", 5, "timestamp"),
            C("NaN price", Csv(2, Row(2, h: "NaN")), "non-finite-value", 4, "high"),
            C("infinite price", Csv(2, Row(2, l: "-inf")), "non-finite-value", 4, "low"),
            C("zero price", Csv(1, Row(1, o: "0")), "non-positive-price", 3, "open"),
            C("negative price", Csv(4, Row(4, c: "-1.1")), "non-positive-price", 6, "close"),
            C("high below low", Csv(2, Row(2, o: "1.1", h: "1.0990", l: "1.1010", c: "1.1")), "high-below-low", 4, "high"),
            C("close above high", Csv(5, Row(5, c: "1.2")), "close-outside-range", 7, "close"),
            C("open below low", Csv(0, Row(0, o: "1.0")), "open-outside-range", 2, "open"),
            C("truncated last line", Csv().TrimEnd('\n') + "\n" + Time(6) + ",1.10000,1.10030", "field-count", 8, "low"),
            new("UTF-16 byte order mark", [("bars.csv", utf16)], [], "unsupported-encoding", "bars.csv", 1, null),
            C("wrong delimiter", Csv().Replace(',', ';'), "missing-column", 1, "timestamp"),
            C("off-grid time", Csv(4, Row(4, "2025-01-06T00:22:00Z")), "off-grid-time", 6, "timestamp"),
            new("mixed bar sizes of one symbol", [("m5.csv", Encoding.UTF8.GetBytes(valid)), ("m1.csv", Encoding.UTF8.GetBytes(m1.ToString()))],
                [], "bar-size-mismatch", "m1.csv", null, null),
            new("overlapping files of one symbol", [("a.csv", Encoding.UTF8.GetBytes(valid)), ("b.csv", Encoding.UTF8.GetBytes(overlapping.ToString()))],
                [], "duplicate-time", "b.csv", 2, "timestamp"),
            new("truncated Parquet", [("bars.parquet", parquet[..(parquet.Length / 2)])], [], "corrupt-parquet", "bars.parquet", null, null),
            new("garbage Parquet", [("bars.parquet", garbage)], [], "corrupt-parquet", "bars.parquet", null, null),
            C("unparsable number", Csv(2, Row(2, v: "1O")), "unparsable-number", 4, "volume"),
            C("empty field", Csv(3, Row(3, s: "")), "unparsable-number", 5, "spread"),
            C("blank line between bars", Csv().Replace(Row(2) + "\n", Row(2) + "\n\n"), "blank-line", 5, null),
            C("too many fields", Csv(1, Row(1) + ",9"), "field-count", 3, null),
            C("negative volume", Csv(1, Row(1, v: "-5")), "negative-volume", 3, "volume"),
            C("duplicate column", Csv(header: Header.Replace("volume", "close")), "duplicate-column", 1, "close"),
            C("unknown format", "date_time,o,h,l,c\n2025-01-06,1,1,1,1\n", "unknown-format", 1, null),
            C("sub-second time", Csv(1, Row(1, "2025-01-06T00:05:00.5Z")), "unparsable-time", 3, "timestamp"),
            C("time without zone", Csv(1, Row(1, "2025-01-06T00:05:00")), "time-zone-missing", 3, "timestamp"),
            C("ask high below ask low", bidAsk, "high-below-low", 3, "ask_high"),
            C("MetaTrader export without --timezone", mt5, "time-zone-missing", 2, "time"),
            C("MetaTrader ambiguous local time", mt5Ambiguous, "ambiguous-time", 3, "time", "--timezone", "EET"),
        ];
    }

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Create_MalformedInput_Exit2NamesFileLineRuleAndLeavesNothing(Case c)
    {
        var work = TestData.TempDirectory();
        var inputs = Path.Combine(work, "in");
        Directory.CreateDirectory(inputs);
        var paths = c.Files.Select(f =>
        {
            var p = Path.Combine(inputs, f.File);
            File.WriteAllBytes(p, f.Bytes);
            return p;
        }).ToArray();
        var root = Path.Combine(work, "out");

        var r = KairosCli.Run(["snapshot", "create", "--input", .. paths, "--symbol", "EURUSD", "--out", root, "--json", .. c.Args]);

        Assert.True(r.ExitCode == 2, r.ToString());
        var error = r.Json();
        Assert.Equal(c.Rule, error.GetProperty("rule").GetString());
        Assert.Equal(Path.Combine(inputs, c.ErrorFile), error.GetProperty("file").GetString());
        Assert.Equal(c.Line, error.GetProperty("line").ValueKind == JsonValueKind.Null ? null : error.GetProperty("line").GetInt64());
        Assert.Equal(c.Column, error.GetProperty("column").GetString());
        var where = c.Line is null ? Path.Combine(inputs, c.ErrorFile) : $"{Path.Combine(inputs, c.ErrorFile)}:{c.Line}";
        Assert.Contains(where, r.StandardError);
        Assert.Contains($"[{c.Rule}]", r.StandardError);
        Assert.False(Directory.Exists(root), "the output root was created");
        Assert.Equal(paths.Order(), Directory.EnumerateFileSystemEntries(inputs).Order());
        Assert.Equal([inputs], Directory.EnumerateFileSystemEntries(work));
    }

    [Fact]
    public void Create_WrongDelimiter_SaysSo()
    {
        var work = TestData.TempDirectory();
        var input = Path.Combine(work, "bars.csv");
        File.WriteAllText(input, Csv().Replace(',', ';'));

        var r = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "X", "--out", Path.Combine(work, "out"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("wrong delimiter", r.StandardError);
    }

    [Fact]
    public void Create_FailureInsideAnExistingRoot_LeavesNoTemporaryDirectory()
    {
        var work = TestData.TempDirectory();
        var root = Path.Combine(work, "out");
        Directory.CreateDirectory(root);
        var good = Path.Combine(work, "good.csv");
        File.WriteAllText(good, Csv());
        var bad = Path.Combine(work, "bad.csv");
        File.WriteAllText(bad, Csv(5, Row(5, c: "1.2")));

        Assert.Equal(0, KairosCli.Run("snapshot", "create", "--input", good, "--symbol", "A", "--out", root).ExitCode);
        var before = Directory.EnumerateFileSystemEntries(root).ToArray();
        var r = KairosCli.Run("snapshot", "create", "--input", bad, "--symbol", "B", "--out", root);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(root).ToArray());
    }

    /// <summary>
    /// A real <c>kairos snapshot create</c> of four real files killed with SIGKILL while it writes Parquet into its
    /// temporary: the temporary stays behind, named after the dead process; the next create under the same root
    /// removes it and writes the snapshot, and leaves alone a temporary of a live writer (this test process).
    /// </summary>
    [Fact]
    public async Task Create_KilledWhileWriting_NextCreateRemovesItsTemporaryButNotALiveWritersOne()
    {
        string[] args =
        [
            "snapshot", "create",
            "--input", TestData.File("EURUSD_M5_2025_mt5.csv"), "--symbol", "EURUSD",
            "--input", TestData.File("XAUUSD_M5_2025_mt5.csv"), "--symbol", "XAUUSD",
            "--input", TestData.File("EURUSD_H1_2007-2018_oanda_bidask.csv"), "--symbol", "EURUSD_H1",
            "--input", TestData.File("XAUUSD_H1_2006-2019_oanda_bidask.csv"), "--symbol", "XAUUSD_H1",
        ];
        string root = "", live = "", stale = "";
        var killedPid = 0;
        // The create writes its temporary for about half a second of its two; a try that finishes first is repeated.
        for (var attempt = 0; attempt < 5 && stale.Length == 0; attempt++)
        {
            root = Path.Combine(TestData.TempDirectory(), "snapshots");
            Directory.CreateDirectory(root);
            live = Path.Combine(root, ArtifactDirectory.TemporaryName("live-writer", WriterProcess.Current));
            Directory.CreateDirectory(live);
            File.WriteAllText(Path.Combine(live, "EURUSD.parquet"), "still being written");
            using var process = KairosCli.Start([.. args, "--out", root]);
            var drainOut = process.StandardOutput.ReadToEndAsync();
            var drainErr = process.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(2))
            {
                var writing = Directory.GetDirectories(root, ArtifactDirectory.TemporaryPrefix + "*").FirstOrDefault(d => d != live && Directory.EnumerateFiles(d).Any());
                if (writing is not null)
                {
                    process.Kill(entireProcessTree: true);
                    stale = writing;
                    killedPid = process.Id;
                    break;
                }
                await Task.Delay(1);
            }
            await process.WaitForExitAsync();
            await Task.WhenAll(drainOut, drainErr);
        }
        Assert.True(stale.Length > 0, "five creates all finished before one could be killed while writing");
        Assert.True(Directory.Exists(stale), "the killed create's temporary is left behind");
        var writer = ArtifactDirectory.WriterOf(Path.GetFileName(stale));
        Assert.NotNull(writer);
        Assert.Equal(killedPid, writer.Pid);
        Assert.False(writer.IsRunning());
        Assert.DoesNotContain(Directory.GetDirectories(root), d => !Path.GetFileName(d).StartsWith('.'));

        var next = KairosCli.Run([.. args, "--out", root, "--json"]);

        Assert.True(next.ExitCode == 0, next.ToString());
        var snapshot = next.Json().GetProperty("directory").GetString()!;
        Assert.False(Directory.Exists(stale));
        Assert.Equal("still being written", File.ReadAllText(Path.Combine(live, "EURUSD.parquet")));
        Assert.Equal(new[] { live, snapshot }.Order(StringComparer.Ordinal), Directory.GetDirectories(root).Order(StringComparer.Ordinal));
        Assert.Equal(0, KairosCli.Run("snapshot", "verify", snapshot).ExitCode);
        Assert.Equal(4, KairosCli.Run("snapshot", "list", root, "--json").Json()[0].GetProperty("symbols").GetArrayLength());
    }

    [Theory]
    [InlineData("crlf")]
    [InlineData("bom")]
    public void Create_CrLfOrUtf8Bom_ReadsTheSameBars(string variant)
    {
        var work = TestData.TempDirectory();
        var plain = Path.Combine(work, "plain.csv");
        File.WriteAllText(plain, Csv());
        var other = Path.Combine(work, variant + ".csv");
        var bytes = variant == "crlf"
            ? Encoding.UTF8.GetBytes(Csv().Replace("\n", "\r\n"))
            : Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv())).ToArray();
        File.WriteAllBytes(other, bytes);
        var root = Path.Combine(work, "out");

        var a = KairosCli.Run("snapshot", "create", "--input", plain, "--symbol", "X", "--out", root, "--json").Json();
        var b = KairosCli.Run("snapshot", "create", "--input", other, "--symbol", "X", "--out", root, "--json").Json();

        var barsA = Snapshot.Open(a.GetProperty("directory").GetString()!).ReadBars("X");
        var barsB = Snapshot.Open(b.GetProperty("directory").GetString()!).ReadBars("X");
        Assert.NotEqual(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
        Assert.Equal(barsA.Time, barsB.Time);
        Assert.Equal(barsA.Spread, barsB.Spread);
        var source = b.GetProperty("manifest").GetProperty("symbols")[0].GetProperty("sources")[0];
        Assert.Equal(variant == "crlf" ? "crlf" : "lf", source.GetProperty("line_ending").GetString());
        Assert.Equal(variant == "bom", source.GetProperty("byte_order_mark").GetBoolean());
    }

    [Fact]
    public void Create_Repair_DropsAndRecordsEveryOffendingRow()
    {
        var work = TestData.TempDirectory();
        var input = Path.Combine(work, "bars.csv");
        var text = new StringBuilder(Header).Append('\n');
        text.Append(Row(0)).Append('\n');                         // line 2
        text.Append(Row(1)).Append('\n');                         // line 3
        text.Append(Row(1, c: "1.10020")).Append('\n');           // line 4: duplicate of line 3
        text.Append(Row(2, h: "NaN")).Append('\n');               // line 5: NaN
        text.Append(Row(3)).Append('\n');                         // line 6
        text.Append(Row(0, "2025-01-05T23:00:00Z")).Append('\n'); // line 7: out of order
        text.Append(Row(4, "2025-01-06T00:21:00Z")).Append('\n'); // line 8: off grid
        text.Append(Row(5)).Append('\n');                         // line 9
        File.WriteAllText(input, text.ToString());
        var root = Path.Combine(work, "out");

        var strict = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "X", "--out", root);
        var r = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "X", "--out", root, "--repair", "--verify", "--json");

        Assert.Equal(2, strict.ExitCode);
        Assert.True(r.ExitCode == 0, r.ToString());
        var symbol = r.Json().GetProperty("manifest").GetProperty("symbols")[0];
        var repairs = symbol.GetProperty("repairs").EnumerateArray()
            .Select(x => (x.GetProperty("line").GetInt64(), x.GetProperty("rule").GetString(), x.GetProperty("action").GetString())).ToArray();
        Assert.Equal(
            [(4L, "duplicate-time", "dropped"), (5L, "non-finite-value", "dropped"), (7L, "non-increasing-time", "dropped"), (8L, "off-grid-time", "dropped")],
            repairs.OrderBy(x => x.Item1));
        Assert.Equal(4, symbol.GetProperty("rows").GetInt64());
        Assert.Equal(8, symbol.GetProperty("sources")[0].GetProperty("rows_read").GetInt64());
        Assert.Equal(4, symbol.GetProperty("validation").GetProperty("repaired_rows").GetInt64());
        var bars = Snapshot.Open(r.Json().GetProperty("directory").GetString()!).ReadBars("X");
        Assert.Equal(1.10010, bars.Close[1]);
    }

    [Fact]
    public void Create_SameBytesTwice_SameIdAndSecondRunReusesIt()
    {
        var work = TestData.TempDirectory();
        var a = Path.Combine(work, "a.csv");
        var b = Path.Combine(work, "copy-with-another-name.csv");
        File.WriteAllText(a, Csv());
        File.Copy(a, b);
        var root = Path.Combine(work, "out");

        var first = KairosCli.Run("snapshot", "create", "--input", a, "--symbol", "X", "--out", root, "--json").Json();
        var second = KairosCli.Run("snapshot", "create", "--input", b, "--symbol", "X", "--out", root, "--json").Json();
        var otherOptions = KairosCli.Run("snapshot", "create", "--input", a, "--symbol", "X", "--out", root, "--bar-size", "5m", "--json").Json();
        var otherSymbol = KairosCli.Run("snapshot", "create", "--input", a, "--symbol", "Y", "--out", root, "--json").Json();

        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.NotEqual(first.GetProperty("id").GetString(), otherOptions.GetProperty("id").GetString());
        Assert.NotEqual(first.GetProperty("id").GetString(), otherSymbol.GetProperty("id").GetString());
        Assert.Equal(3, Directory.EnumerateDirectories(root).Count());
    }

    [Fact]
    public void CreateVerifyList_RealFileAsInTheReadme_Succeeds()
    {
        var root = Path.Combine(TestData.TempDirectory(), "snapshots");

        var create = KairosCli.Run("snapshot", "create", "--input", TestData.File("EURUSD_M5_2025_mt5.csv"), "--symbol", "EURUSD", "--out", root, "--verify");
        var dir = Directory.EnumerateDirectories(root).Single();
        var verify = KairosCli.Run("snapshot", "verify", dir, "--json");
        var list = KairosCli.Run("snapshot", "list", root, "--json");
        var table = KairosCli.Run("snapshot", "list", root);

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Contains("63,361 bars of 5m", create.StandardOutput);
        Assert.Contains("verified", create.StandardOutput);
        Assert.Equal(0, verify.ExitCode);
        Assert.True(verify.Json().GetProperty("ok").GetBoolean());
        var entry = list.Json()[0];
        Assert.Equal(Path.GetFileName(dir), entry.GetProperty("id").GetString());
        Assert.Equal(63_361, entry.GetProperty("rows").GetInt64());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(Path.GetFileName(dir)[..8], table.StandardOutput);
    }

    [Fact]
    public void Create_Mt5OriginalWithBrokerZone_HasTheNormalisedFilesId()
    {
        var root = Path.Combine(TestData.TempDirectory(), "snapshots");
        var original = TestData.File("original/budimanlai__forex-tick/data__XAUUSD_M5.csv");

        var r = KairosCli.Run("snapshot", "create", "--input", original, "--symbol", "XAUUSD", "--timezone", "EET", "--out", root, "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        var bars = Snapshot.Open(r.Json().GetProperty("directory").GetString()!).ReadBars("XAUUSD");
        var csv = BarCsvReader.Read(TestData.File("XAUUSD_M5_2025_mt5.csv"));
        Assert.Equal(csv.Time, bars.Time);
        Assert.Equal(csv.Spread, bars.Spread);
        var source = r.Json().GetProperty("manifest").GetProperty("symbols")[0].GetProperty("sources")[0];
        Assert.Equal("mt5", source.GetProperty("format").GetString());
        Assert.Equal("EET", source.GetProperty("time_zone").GetString());
        Assert.Equal(0.01, source.GetProperty("point_size").GetDouble());
    }

    [Fact]
    public void Create_ParquetWrittenByKairos_IsAnInput()
    {
        var work = TestData.TempDirectory();
        var parquet = Path.Combine(work, "bars.parquet");
        File.WriteAllBytes(parquet, ParquetBytes());

        var r = KairosCli.Run("snapshot", "create", "--input", parquet, "--symbol", "EURUSD", "--out", Path.Combine(work, "out"), "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("parquet", r.Json().GetProperty("manifest").GetProperty("symbols")[0].GetProperty("sources")[0].GetProperty("format").GetString());
        Assert.Equal(6, r.Json().GetProperty("manifest").GetProperty("symbols")[0].GetProperty("rows").GetInt64());
    }

    public static TheoryData<string> Tampering() => ["modified parquet", "deleted parquet", "missing manifest", "extra file", "edited manifest"];

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Verify_TamperedSnapshot_Exit3NamingTheFile(string tampering)
    {
        var work = TestData.TempDirectory();
        var input = Path.Combine(work, "bars.csv");
        File.WriteAllText(input, Csv());
        var created = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "EURUSD", "--out", Path.Combine(work, "out"), "--json").Json();
        var dir = created.GetProperty("directory").GetString()!;
        var parquet = Path.Combine(dir, "EURUSD.parquet");
        var manifest = Path.Combine(dir, "manifest.json");
        string expected;
        switch (tampering)
        {
            case "modified parquet":
                var bytes = File.ReadAllBytes(parquet);
                bytes[bytes.Length / 2] ^= 0x01;
                File.WriteAllBytes(parquet, bytes);
                expected = "EURUSD.parquet: SHA-256";
                break;
            case "deleted parquet":
                File.Delete(parquet);
                expected = "EURUSD.parquet: missing";
                break;
            case "missing manifest":
                File.Delete(manifest);
                expected = "manifest.json: missing";
                break;
            case "extra file":
                File.WriteAllText(Path.Combine(dir, "notes.txt"), "x");
                expected = "notes.txt: not listed";
                break;
            case "edited manifest":
                File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"repair\": false", "\"repair\": true"));
                expected = "manifest.json: the id";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering), tampering, null);
        }

        var r = KairosCli.Run("snapshot", "verify", dir);
        var json = KairosCli.Run("snapshot", "verify", dir, "--json").Json();

        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains(expected, r.StandardError);
        Assert.Equal(3, json.GetProperty("exit_code").GetInt32());
        Assert.Contains(json.GetProperty("failures").EnumerateArray(), f => f.GetString()!.Contains(expected));
    }

    [Fact]
    public void Verify_ManifestForANewerReader_Exit2ArtifactTooNew()
    {
        // One rule for every artifact (ArtifactVersion): written for a newer Kairos is unreadable input, exit 2.
        var work = TestData.TempDirectory();
        var input = Path.Combine(work, "bars.csv");
        File.WriteAllText(input, Csv());
        var created = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "EURUSD", "--out", Path.Combine(work, "out"), "--json").Json();
        var dir = created.GetProperty("directory").GetString()!;
        var manifest = Path.Combine(dir, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"min_reader_version\": 1", "\"min_reader_version\": 99"));

        var r = KairosCli.Run("snapshot", "verify", dir);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("manifest.json", r.StandardError);
        Assert.Contains("needs reader version 99", r.StandardError);
        Assert.Contains(Kairos.Artifacts.ArtifactVersion.TooNewCode, r.StandardError);
    }

    [Fact]
    public void Create_ExistingSnapshotTampered_Exit3InsteadOfReusingIt()
    {
        var work = TestData.TempDirectory();
        var input = Path.Combine(work, "bars.csv");
        File.WriteAllText(input, Csv());
        var root = Path.Combine(work, "out");
        var dir = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "EURUSD", "--out", root, "--json").Json().GetProperty("directory").GetString()!;
        File.WriteAllText(Path.Combine(dir, "EURUSD.parquet"), "overwritten");

        var r = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "EURUSD", "--out", root);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("EURUSD.parquet", r.StandardError);
    }

    [Theory]
    [InlineData("--bar-size", "7 minutes")]
    [InlineData("--format", "xlsx")]
    public void Create_MalformedOption_IsUsageError(string option, string value)
    {
        var work = TestData.TempDirectory();
        var input = Path.Combine(work, "bars.csv");
        File.WriteAllText(input, Csv());

        var r = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "X", "--out", Path.Combine(work, "out"), option, value);

        Assert.Equal(1, r.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(work, "out")));
    }

    [Fact]
    public void Create_UnknownTimeZone_IsBadInputListingTheProblem()
    {
        var work = TestData.TempDirectory();
        var input = Path.Combine(work, "bars.csv");
        File.WriteAllText(input, Csv());

        var r = KairosCli.Run("snapshot", "create", "--input", input, "--symbol", "X", "--out", Path.Combine(work, "out"), "--timezone", "Mars/Olympus", "--json");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(r.Json().GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("Mars/Olympus"));
    }

    [Fact]
    public void List_MissingRoot_IsBadInput()
    {
        var r = KairosCli.Run("snapshot", "list", Path.Combine(TestData.TempDirectory(), "nowhere"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("[not-found]", r.StandardError);
    }

    private static byte[] ParquetBytes()
    {
        var path = Path.Combine(TestData.TempDirectory(), "bars.parquet");
        var t0 = new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var n = 6;
        var series = new BarSeries("EURUSD", TimeSpan.FromMinutes(5), Enumerable.Range(0, n).Select(i => t0 + (300L * i)).ToArray(),
            Enumerable.Repeat(1.1, n).ToArray(), Enumerable.Repeat(1.1003, n).ToArray(), Enumerable.Repeat(1.0998, n).ToArray(),
            Enumerable.Repeat(1.1001, n).ToArray(), Enumerable.Repeat(10.0, n).ToArray(), Enumerable.Repeat(0.00007, n).ToArray());
        BarParquet.Write(series, path);
        return File.ReadAllBytes(path);
    }
}
