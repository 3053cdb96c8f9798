using System.Globalization;
using System.Text.Json;
using Kairos.Errors;

namespace Kairos.Datasets;

/// <summary>
/// The split boundaries of a build, written as <c>splits.json</c> in the dataset directory. A later
/// build can reuse it (<c>splits.method: file</c>) so that runs compare on identical splits.
/// Times are Unix seconds (UTC) of bar open times; a split is [start, end).
/// </summary>
public sealed record SplitFile
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required long BarSeconds { get; init; }
    public required int PurgeBars { get; init; }
    public required int EmbargoBars { get; init; }
    public required long ValStart { get; init; }
    public required long TestStart { get; init; }
    public string ValStartUtc => DateTime.UnixEpoch.AddSeconds(ValStart).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    public string TestStartUtc => DateTime.UnixEpoch.AddSeconds(TestStart).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    public IReadOnlyList<FoldBoundary> Folds { get; init; } = [];

    public static SplitFile Load(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, "split-file-missing", "the split file does not exist");
        SplitFile? file;
        try
        {
            file = JsonSerializer.Deserialize<SplitFile>(File.ReadAllText(path), DatasetJson.Options);
        }
        catch (JsonException e)
        {
            throw new DataException(path, e.LineNumber + 1, e.Path, "split-file-json", e.Message, e);
        }
        if (file is null) throw new DataException(path, "split-file-json", "empty split file");
        if (file.SchemaVersion > CurrentSchemaVersion)
            throw new DataException(path, "split-file-version", $"schema version {file.SchemaVersion} is newer than this Kairos ({CurrentSchemaVersion})");
        if (file.ValStart >= file.TestStart)
            throw new DataException(path, "split-file-order", "val_start must be before test_start");
        return file;
    }
}
