using System.Globalization;

using System.Text.Json;
using Kairos.Errors;

namespace Kairos.Serve;

/// <summary>
/// The decision journal (docs/serve.md): a directory of segments <c>journal-NNNNNN.ndjson</c>, each a sequence of
/// UTF-8 JSON lines, one <see cref="JournalRecord"/> per accepted bar. A request's lines are appended and fsync'd
/// before its answer leaves; a segment over the size limit is closed and the next request starts a new one. On
/// restart the segments are read in order; a torn last line (a crash mid-write, never acknowledged) is cut off.
/// </summary>
public sealed class DecisionJournal : IDisposable
{
    public const string Prefix = "journal-";
    public const string Extension = ".ndjson";
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly MemoryStream _buffer = new();
    private FileStream? _segment;
    private int _segmentIndex;

    private DecisionJournal(string directory, long segmentBytes, int lastSegment)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _segmentIndex = lastSegment;
    }

    /// <summary>Records not yet on disk (appended since the last <see cref="Commit"/>).</summary>
    public int Pending { get; private set; }

    public string Directory => _directory;

    /// <summary>Opens (creating) the journal and reads every record already in it, oldest first.</summary>
    public static DecisionJournal Open(string directory, long segmentBytes, out IReadOnlyList<JournalRecord> records, out int truncatedBytes)
    {
        System.IO.Directory.CreateDirectory(directory);
        var segments = Segments(directory);
        var all = new List<JournalRecord>();
        truncatedBytes = 0;
        for (var s = 0; s < segments.Count; s++)
        {
            var path = segments[s];
            var bytes = File.ReadAllBytes(path);
            var pos = 0;
            var line = 0;
            while (pos < bytes.Length)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', pos);
                var complete = end >= 0;
                var span = bytes.AsSpan(pos, (complete ? end : bytes.Length) - pos);
                line++;
                JournalRecord? record = null;
                if (complete)
                {
                    try
                    {
                        record = JsonSerializer.Deserialize<JournalRecord>(span, ServeJson.Options);
                    }
                    catch (JsonException)
                    {
                        record = null;
                    }
                }
                if (record is null)
                {
                    if (s == segments.Count - 1 && (!complete || end == bytes.Length - 1))
                    {
                        // The torn tail of the last write: never fsync'd completely, so never acknowledged.
                        truncatedBytes = bytes.Length - pos;
                        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
                        f.SetLength(pos);
                        f.Flush(true);
                        break;
                    }
                    throw new DataException(path, line, null, "journal-corrupt", "the line is not a journal record (docs/serve.md, Journal)");
                }
                if (all.Count > 0 && record.Seq != all[^1].Seq + 1)
                    throw new DataException(path, line, "seq", "journal-corrupt", $"record {record.Seq} follows {all[^1].Seq}: records are numbered without gaps");
                all.Add(record);
                pos = end + 1;
            }
        }
        records = all;
        var last = segments.Count == 0 ? 0 : Index(segments[^1]);
        return new DecisionJournal(directory, segmentBytes, last);
    }

    public void Append(JournalRecord record)
    {
        JsonSerializer.Serialize(_buffer, record, ServeJson.Options);
        _buffer.WriteByte((byte)'\n');
        Pending++;
    }

    /// <summary>Writes and fsyncs what was appended; afterwards it survives a crash.</summary>
    public void Commit()
    {
        if (Pending == 0) return;
        if (_segment is null || _segment.Length >= _segmentBytes)
        {
            _segment?.Dispose();
            var path = _segment is null && _segmentIndex > 0 && new FileInfo(PathOf(_segmentIndex)).Length < _segmentBytes
                ? PathOf(_segmentIndex)
                : PathOf(++_segmentIndex);
            _segment = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        }
        _buffer.Position = 0;
        _buffer.CopyTo(_segment);
        _segment.Flush(flushToDisk: true);
        _buffer.SetLength(0);
        Pending = 0;
    }

    /// <summary>Forgets what was appended since the last commit (the request failed before its answer).</summary>
    public void Discard()
    {
        _buffer.SetLength(0);
        Pending = 0;
    }

    public void Dispose()
    {
        Commit();
        _segment?.Dispose();
        _segment = null;
    }

    private string PathOf(int index) => Path.Combine(_directory, Prefix + index.ToString("D6", CultureInfo.InvariantCulture) + Extension);

    private static List<string> Segments(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, Prefix + "*" + Extension)
            .Where(p => int.TryParse(Path.GetFileNameWithoutExtension(p).AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(Index).ToList();

    private static int Index(string path) => int.Parse(Path.GetFileNameWithoutExtension(path).AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture);

}
