using Kairos.Errors;

namespace Kairos.Artifacts;

/// <summary>
/// The version header every Kairos file and directory carries, in the spirit of ML.NET's <c>VersionInfo</c>: what it
/// is (<see cref="Kind"/>), the version it was written as (<see cref="SchemaVersion"/>), and the oldest reader that
/// understands it (<see cref="MinReaderVersion"/>), which a writer raises only when an older reader would misread the
/// file. Every reader checks it through <see cref="EnsureReadable(string, string, int, int)"/>: one rule, one error code
/// (<see cref="TooNewCode"/>, exit 2 like every unreadable input), one message.
/// </summary>
public sealed record ArtifactVersion(string Kind, int SchemaVersion, int MinReaderVersion)
{
    /// <summary>The error code of an artifact written for a newer Kairos than this one.</summary>
    public const string TooNewCode = "artifact-too-new";

    /// <summary>The field name in every header.</summary>
    public const string MinReaderField = "min_reader_version";

    /// <summary>Throws when this header needs a newer reader than <paramref name="readerVersion"/>.</summary>
    public void EnsureReadable(string path, int readerVersion) => EnsureReadable(path, Kind, MinReaderVersion, readerVersion);

    /// <summary>
    /// Throws a <see cref="DataException"/> naming <paramref name="path"/>, the field and both versions when
    /// <paramref name="minReaderVersion"/> (as the file says) is above <paramref name="readerVersion"/> (what this Kairos
    /// reads of <paramref name="kind"/>).
    /// </summary>
    public static void EnsureReadable(string path, string kind, int minReaderVersion, int readerVersion)
    {
        if (minReaderVersion > readerVersion) throw TooNew(path, kind, minReaderVersion, readerVersion);
    }

    /// <summary>The exception <see cref="EnsureReadable(string, string, int, int)"/> throws, for readers that collect problems.</summary>
    public static DataException TooNew(string path, string kind, int minReaderVersion, int readerVersion) =>
        new(path, null, MinReaderField, TooNewCode,
            $"this {kind} needs reader version {minReaderVersion}; this Kairos reads {kind} up to version {readerVersion}: upgrade Kairos");
}
