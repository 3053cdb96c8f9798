using System.Text.Json;
using Kairos.Journal;

namespace Kairos.Serve;

/// <summary>
/// The decision journal (docs/serve.md): a directory of segments <c>journal-NNNNNN.ndjson</c>, each a sequence of
/// UTF-8 JSON lines, one <see cref="JournalRecord"/> per accepted bar. A request's lines are appended and fsync'd
/// before its answer leaves; a segment over the size limit is closed and the next request starts a new one. On
/// restart the segments are read in order; a torn last line (a crash mid-write, never acknowledged) is cut off.
/// </summary>
public sealed class DecisionJournal : IDisposable
{
    public const string Prefix = JournalSegments.Prefix;
    public const string Extension = JournalSegments.Extension;
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

    /// <summary>Opens (creating) the journal and reads every record already in it, oldest first; a torn last line is cut off.</summary>
    public static DecisionJournal Open(string directory, long segmentBytes, out IReadOnlyList<JournalRecord> records, out int truncatedBytes)
    {
        System.IO.Directory.CreateDirectory(directory);
        var scan = JournalSegments.Read<JournalRecord>(directory, r => r.Seq);
        truncatedBytes = 0;
        if (scan.Torn is { } torn)
        {
            truncatedBytes = (int)torn.Bytes;
            using var f = new FileStream(torn.Path, FileMode.Open, FileAccess.Write);
            f.SetLength(torn.Offset);
            f.Flush(true);
        }
        records = scan.Lines.Select(l => l.Record).ToList();
        var segments = JournalSegments.List(directory);
        var last = segments.Count == 0 ? 0 : JournalSegments.Index(segments[^1]);
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

    private string PathOf(int index) => JournalSegments.PathOf(_directory, index);
}
