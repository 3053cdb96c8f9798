using ParquetSharp;

namespace Kairos.Snapshots;

/// <summary>What a bar file's header says before it is read: whether its bars carry a spread (a spread or ask column).</summary>
public static class BarFileHeader
{
    /// <summary>
    /// True when the file's columns include a spread (normalised CSV <c>spread</c>, the ask columns, MetaTrader's
    /// <c>spread</c> / <c>&lt;SPREAD&gt;</c>, a Parquet <c>spread</c> or <c>ask_close</c>), false when they do not, null when the
    /// header cannot be read (the snapshot stage then reports the file properly).
    /// </summary>
    public static bool? HasSpread(string path, BarFileFormat format = BarFileFormat.Auto)
    {
        try
        {
            if (format == BarFileFormat.Parquet || (format == BarFileFormat.Auto && IsParquet(path)))
            {
                using var reader = new ParquetFileReader(path);
                var schema = reader.FileMetaData.Schema;
                for (var c = 0; c < schema.NumColumns; c++)
                    if (schema.Column(c).Name is "spread" or "ask_close") return true;
                return false;
            }
            using var text = new StreamReader(path);
            var header = text.ReadLine();
            if (header is null) return null;
            var columns = header.Split(',', '\t', ';').Select(c => c.Trim().Trim('<', '>').ToLowerInvariant()).ToList();
            return columns.Contains("spread") || columns.Contains("spread_points") || columns.Contains("ask_close");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ParquetException)
        {
            return null;
        }
    }

    private static bool IsParquet(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic.SequenceEqual("PAR1"u8);
    }
}
