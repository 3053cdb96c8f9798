using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Artifacts;

namespace Kairos.Trees;

/// <summary>
/// Writes the enriched copy of a dataset: a new dataset directory (sibling of the source by default) whose
/// split files carry the five signal columns, whose <c>dataset.json</c> says <c>calibration_applied: true</c>
/// and lists <c>signal_columns</c>, plus <c>signals.json</c> (definitions, provenance, lineage to the source
/// dataset and the trees artifact). Written to a temporary sibling and renamed into place.
/// </summary>
public static class EnrichedDatasetWriter
{
    public const string SignalsFile = "signals.json";

    /// <summary>The id of the enriched copy: derived from the source dataset id and the trees artifact id.</summary>
    public static string EnrichedId(string datasetId, string treesId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"kairos.enriched/1\n{datasetId}\n{treesId}")))[..16];

    /// <summary>Writes the copy under <paramref name="root"/> unless it already exists; returns its directory.</summary>
    public static string Write(
        string root, string enrichedId, GbdtDatasetInput input, IReadOnlyDictionary<string, TreeSignals> signals,
        JsonObject signalsDocument, DateTimeOffset createdAt)
    {
        var finalDir = Path.Combine(root, enrichedId);
        if (File.Exists(Path.Combine(finalDir, DatasetReader.MetadataFile))) return finalDir;
        var temp = ArtifactDirectory.CreateTemporarySibling(root, enrichedId);
        try
        {
            var meta = input.Metadata;
            var source = input.Reader.Directory;
            File.Copy(Path.Combine(source, meta.Sequence.File), Path.Combine(temp, meta.Sequence.File));
            var splitsJson = Path.Combine(source, "splits.json");
            if (File.Exists(splitsJson)) File.Copy(splitsJson, Path.Combine(temp, "splits.json"));
            var infos = new List<SplitInfo>();
            foreach (var split in input.Splits)
            {
                var s = signals[split.Name];
                var enriched = split;
                for (var c = 0; c < TreeSignals.ColumnNames.Count; c++)
                    enriched = enriched.WithColumn(TreeSignals.ColumnNames[c], s.Columns[c]);
                var info = meta.Split(split.Name);
                var sha = ParquetColumns.Write(Path.Combine(temp, info.File), enriched.Columns);
                infos.Add(info with { Sha256 = sha });
            }
            var metadata = meta with
            {
                Id = enrichedId,
                CreatedAt = createdAt,
                CalibrationApplied = true,
                SignalColumns = TreeSignals.ColumnNames,
                Splits = infos,
            };
            File.WriteAllText(Path.Combine(temp, DatasetReader.MetadataFile), JsonSerializer.Serialize(metadata, DatasetJson.Options));
            File.WriteAllText(Path.Combine(temp, SignalsFile), signalsDocument.ToJsonString(ArtifactJson.Options) + "\n");
            Directory.Move(temp, finalDir);
            return finalDir;
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }
}
