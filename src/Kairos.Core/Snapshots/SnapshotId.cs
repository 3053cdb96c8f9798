using System.Security.Cryptography;
using System.Text.Json;

namespace Kairos.Snapshots;

/// <summary>
/// Content-derived snapshot ids: SHA-256 of a canonical JSON document of the inputs (sorted by symbol, then
/// hash: symbol, resolved format, SHA-256 of the bytes) and the options that change the result. File names
/// and paths do not enter it: the same bytes and options give the same id anywhere.
/// </summary>
public static class SnapshotId
{
    /// <summary>One input as it enters the id.</summary>
    public sealed record Input(string Symbol, string Format, string Sha256);

    /// <summary>The full SHA-256 (64 hex digits); the id is its first 16.</summary>
    public static string ContentHash(IEnumerable<Input> inputs, BarReadOptions options)
    {
        var canonical = new
        {
            kind = SnapshotManifest.ArtifactKind,
            schema_version = SnapshotManifest.CurrentSchemaVersion,
            inputs = inputs.OrderBy(i => i.Symbol, StringComparer.Ordinal).ThenBy(i => i.Sha256, StringComparer.Ordinal)
                .Select(i => new { symbol = i.Symbol, format = i.Format, sha256 = i.Sha256 }).ToArray(),
            options = new
            {
                time_zone = options.TimeZone is null ? null : BrokerTimeZone.Parse(options.TimeZone).Id,
                point_size = options.PointSize,
                bar_size_seconds = options.BarSize is { } b ? (long?)(b.Ticks / TimeSpan.TicksPerSecond) : null,
                repair = options.Repair,
            },
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(canonical, SnapshotJson.Compact);
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
