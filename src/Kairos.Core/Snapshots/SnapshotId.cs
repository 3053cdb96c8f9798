using System.Security.Cryptography;
using System.Text.Json;

namespace Kairos.Snapshots;

/// <summary>
/// Content-derived snapshot ids: SHA-256 of a canonical JSON document of the inputs (sorted by symbol, then
/// hash: symbol, resolved format, SHA-256 of the bytes and of the ask file if any) and the options that change the
/// result (settings added later enter only when set, so existing ids stay valid). File names
/// and paths do not enter it: the same bytes and options give the same id anywhere.
/// </summary>
public static class SnapshotId
{
    /// <summary>One input as it enters the id; <paramref name="AskSha256"/> is the SHA-256 of its <c>--ask</c> file, if any.</summary>
    public sealed record Input(string Symbol, string Format, string Sha256, string? AskSha256 = null);

    /// <summary>The full SHA-256 (64 hex digits); the id is its first 16.</summary>
    public static string ContentHash(IEnumerable<Input> inputs, BarReadOptions options)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", SnapshotManifest.ArtifactKind);
            w.WriteNumber("schema_version", SnapshotManifest.CurrentSchemaVersion);
            w.WriteStartArray("inputs");
            foreach (var i in inputs.OrderBy(i => i.Symbol, StringComparer.Ordinal).ThenBy(i => i.Sha256, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("symbol", i.Symbol);
                w.WriteString("format", i.Format);
                w.WriteString("sha256", i.Sha256);
                // Written only when present, so that ids of inputs without an ask file are unchanged.
                if (i.AskSha256 is not null) w.WriteString("ask_sha256", i.AskSha256);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("options");
            if (options.TimeZone is null) w.WriteNull("time_zone");
            else w.WriteString("time_zone", BrokerTimeZone.Parse(options.TimeZone).Id);
            if (options.PointSize is { } p) w.WriteNumber("point_size", p);
            else w.WriteNull("point_size");
            if (options.BarSize is { } b) w.WriteNumber("bar_size_seconds", b.Ticks / TimeSpan.TicksPerSecond);
            else w.WriteNull("bar_size_seconds");
            w.WriteBoolean("repair", options.Repair);
            if (options.TimeFormat is not null) w.WriteString("time_format", options.TimeFormat);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        var bytes = buffer.ToArray();
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public static string FromContentHash(string contentHash) => contentHash[..16];

    /// <summary>Lower-case hex SHA-256 of a byte array.</summary>
    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

}
