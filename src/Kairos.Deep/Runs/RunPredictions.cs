using System.Globalization;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Features;

namespace Kairos.Deep.Runs;

/// <summary>
/// The <c>predictions_&lt;split&gt;.csv</c> files a training run writes with its final weights (docs/metrics.md),
/// shared by every model that scores whole dataset splits (<c>HybridPredictor</c>, <c>LstmPredictor</c>): a model's
/// probabilities of <c>y_direction</c>, one per split row in the split file's order, joined with the row's timestamp,
/// symbol, label, session and volatility regime names; then written, summarised and logged.
/// </summary>
public static class RunPredictions
{
    /// <summary>The split columns <see cref="FromRows"/> reads.</summary>
    public static readonly IReadOnlyList<string> Columns = ["timestamp", "symbol", "session_id", "vol_regime_id", "y_direction"];

    /// <summary>
    /// Reads <see cref="Columns"/> of <paramref name="split"/> and joins them with the probabilities
    /// (see <see cref="FromRows"/>). <paramref name="model"/> names the model in the source and in messages.
    /// </summary>
    /// <summary>
    /// The dataset at <paramref name="datasetDirectory"/>, checked for scoring split <paramref name="split"/> with a model
    /// trained for <paramref name="contractHash"/> on inputs scaled with <paramref name="scalerGroup"/> (null: not recorded):
    /// another contract is a <see cref="VerificationException"/>, another scaler group a <see cref="DataException"/>, both
    /// naming <paramref name="model"/>.
    /// </summary>
    public static DatasetReader OpenDatasetFor(string datasetDirectory, string split, string contractHash, string? scalerGroup, string model)
    {
        var reader = DatasetReader.Open(datasetDirectory);
        if (reader.Metadata.FeatureContractHash != contractHash)
            throw new VerificationException($"dataset {reader.Directory}",
                [$"feature_contract_hash is {reader.Metadata.FeatureContractHash}, {model} was trained for {contractHash}"]);
        var group = reader.SplitNames.Contains(split) ? reader.Metadata.Split(split).ScalerGroup : null;
        if (scalerGroup is { } trained && group is not null && group != trained)
            throw new DataException(Path.Combine(reader.Directory, DatasetReader.MetadataFile), null, "splits", "scaler-group-mismatch",
                $"split '{split}' is scaled with the '{group}' scalers, {model} was trained on inputs scaled with '{trained}'");
        return reader;
    }

    public static Predictions FromDataset(DatasetReader reader, string split, double[] probabilities, string model)
    {
        var file = Path.Combine(reader.Directory, reader.Metadata.Split(split).File);
        return FromRows(reader.ReadSplit(split, Columns), file, probabilities, model);
    }

    /// <summary>
    /// The predictions of the split rows <paramref name="rows"/> (read from <paramref name="file"/>, which messages name):
    /// every probability must be finite (rule <c>non-finite-prediction</c>, naming the row), there must be one per row,
    /// <c>y_direction</c> must be 0 or 1 and the session and regime ids inside the feature contract's names.
    /// </summary>
    public static Predictions FromRows(DatasetSplit rows, string file, double[] probabilities, string model)
    {
        if (probabilities.Length != rows.Rows)
            throw new DataException(file, "prediction-count", $"{model} gives {probabilities.Length} probabilities for the split's {rows.Rows} rows");
        for (var i = 0; i < probabilities.Length; i++)
            if (!double.IsFinite(probabilities[i]))
                throw new DataException(file, i + 1, null, "non-finite-prediction", $"{model} gives {probabilities[i]} for this row");
        foreach (var column in Columns)
            if (!rows.Has(column))
                throw new DataException(file, null, column, "column-missing", $"the split has no {column} column, which the predictions file needs");
        var labels = rows.Int("y_direction");
        for (var i = 0; i < labels.Length; i++)
            if (labels[i] is not (0 or 1))
                throw new DataException(file, i + 1, "y_direction", "label-not-binary", $"y_direction is {labels[i]}, expected 0 or 1");
        return new Predictions(
            $"{model} on {file}",
            probabilities,
            labels,
            rows.Int("session_id").Select(Name(SessionTable.Names, file, "session_id")).ToArray(),
            rows.Int("vol_regime_id").Select(Name(ContextValues.VolRegimeNames, file, "vol_regime_id")).ToArray(),
            rows.Timestamp,
            rows.Symbol);
    }

    /// <summary>
    /// Writes <c>predictions_&lt;split&gt;.csv</c> into <paramref name="directory"/> for every split of <paramref name="splits"/>
    /// with what <paramref name="predict"/> gives for it (each file through a temporary file renamed into place), logs a
    /// line per file with its direction metrics, and returns what was written (a split whose metrics are undefined, e.g.
    /// no rows, is written but not summarised).
    /// </summary>
    public static IReadOnlyList<PredictionsFileSummary> Write(string directory, IEnumerable<string> splits, Func<string, Predictions> predict, TrainingLog log)
    {
        var written = new List<PredictionsFileSummary>();
        foreach (var split in splits)
        {
            var predictions = predict(split);
            var file = PredictionsLocation.FileName(split);
            PredictionsCsv.Write(Path.Combine(directory, file), predictions);
            var direction = DirectionMetrics.Compute(predictions.RequireLabels(), predictions.Probabilities);
            if (direction is null) continue;
            written.Add(new PredictionsFileSummary(split, file, direction));
            log.Line(string.Create(CultureInfo.InvariantCulture,
                $"predictions: {split} {direction.Rows:N0} rows -> {file} | direction PR-AUC {Num(direction.PrAuc)} ROC-AUC {Num(direction.RocAuc)} Brier {direction.Brier:F4}"));
        }
        return written;
    }

    private static string Num(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

    private static Func<int, string> Name(IReadOnlyList<string> names, string file, string column) => id =>
        id >= 0 && id < names.Count ? names[id] : throw new DataException(file, null, column, "category-out-of-range", $"value {id} is outside [0, {names.Count})");
}
