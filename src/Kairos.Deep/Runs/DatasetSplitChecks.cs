using Kairos.Datasets;
using Kairos.Errors;

namespace Kairos.Deep.Runs;

/// <summary>
/// The split checks every deep dataset loader (<c>SequenceDatasetLoader</c>, <c>HybridDatasetLoader</c>) makes before it
/// reads a split: the splits exist, and the prediction splits are scaled like the training split.
/// </summary>
internal static class DatasetSplitChecks
{
    /// <summary>Throws <see cref="DataException"/> (rule <c>split-missing</c>) naming every one of <paramref name="splits"/> the dataset lacks.</summary>
    public static void RequireSplits(DatasetReader reader, IReadOnlyList<string> splits)
    {
        var unknown = splits.Where(s => !reader.SplitNames.Contains(s)).ToList();
        if (unknown.Count > 0)
            throw new DataException(Path.Combine(reader.Directory, DatasetReader.MetadataFile), null, "splits", "split-missing",
                $"the dataset has no split {string.Join(", ", unknown.Select(u => $"'{u}'"))} (it has {string.Join(", ", reader.SplitNames)})");
    }

    /// <summary>
    /// The scaler group of <paramref name="trainSplit"/>; throws <see cref="DataException"/> (rule <c>scaler-group-mismatch</c>,
    /// naming <paramref name="metaFile"/>) when any of <paramref name="predictionSplits"/> is scaled with other scalers.
    /// </summary>
    public static string TrainingScalerGroup(DatasetMetadata meta, string metaFile, string trainSplit, IReadOnlyList<string> predictionSplits)
    {
        var scalerGroup = meta.Split(trainSplit).ScalerGroup;
        var otherScaling = predictionSplits.Where(s => meta.Split(s).ScalerGroup != scalerGroup).ToList();
        if (otherScaling.Count > 0)
            throw new DataException(metaFile, null, "splits", "scaler-group-mismatch",
                $"prediction split(s) {string.Join(", ", otherScaling.Select(s => $"'{s}' (scalers '{meta.Split(s).ScalerGroup}')"))} are scaled with other " +
                $"scalers than the training split '{trainSplit}' (scalers '{scalerGroup}'): the model would score inputs scaled differently " +
                $"from its training data. Predict splits of scaler group '{scalerGroup}' (--predict-splits), or none.");
        return scalerGroup;
    }
}
