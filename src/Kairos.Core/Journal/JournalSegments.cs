using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kairos.Errors;

namespace Kairos.Journal;

/// <summary>
/// The journal of <c>kairos serve</c> as files (docs/serve.md, "Journal"): a directory of segments
/// <c>journal-NNNNNN.ndjson</c>, each a sequence of UTF-8 JSON lines numbered by <c>seq</c> from 1 over all segments
/// without gaps. One reader for the service (which rebuilds its state from it) and for <c>kairos snapshot create
/// --from-journal</c>: a torn last line of the last segment is reported, not read, and never changed here; any other
/// line that is not a record, or a gap in <c>seq</c>, is <c>journal-corrupt</c>.
/// </summary>
public static class JournalSegments
{
    public const string Prefix = "journal-";
    public const string Extension = ".ndjson";
    public const string CorruptRule = "journal-corrupt";

    /// <summary>The JSON of journal lines: snake_case names, NaN / Infinity literals accepted.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>The segment files of <paramref name="directory"/> in order (empty when there are none).</summary>
    public static IReadOnlyList<string> List(string directory) =>
        Directory.EnumerateFiles(directory, Prefix + "*" + Extension)
            .Where(p => int.TryParse(Path.GetFileNameWithoutExtension(p).AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(Index).ToList();

    /// <summary>The number of a segment file (<c>journal-000012.ndjson</c>: 12).</summary>
    public static int Index(string path) => int.Parse(Path.GetFileNameWithoutExtension(path).AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture);

    public static string PathOf(string directory, int index) =>
        Path.Combine(directory, Prefix + index.ToString("D6", CultureInfo.InvariantCulture) + Extension);

    /// <summary>Reads every record with the journal's JSON options; <paramref name="seq"/> gives a record's sequence number.</summary>
    public static JournalScan<T> Read<T>(string directory, Func<T, long> seq) where T : class
    {
        var segments = List(directory);
        var lines = new List<JournalLine<T>>();
        JournalTornTail? torn = null;
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
                T? record = null;
                if (complete)
                {
                    try
                    {
                        record = JsonSerializer.Deserialize<T>(span, Json);
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
                        torn = new JournalTornTail(path, line, pos, bytes.Length - pos);
                        break;
                    }
                    throw new DataException(path, line, null, CorruptRule, "the line is not a journal record (docs/serve.md, Journal)");
                }
                if (lines.Count > 0 && seq(record) != seq(lines[^1].Record) + 1)
                    throw new DataException(path, line, "seq", CorruptRule, $"record {seq(record)} follows {seq(lines[^1].Record)}: records are numbered without gaps");
                lines.Add(new JournalLine<T>(record, path, line));
                pos = end + 1;
            }
        }
        return new JournalScan<T>(lines, torn);
    }
}
