using System.Text.Json;
using System.Text.Json.Serialization;
using Kairos.Datasets;
using Kairos.Errors;

namespace Kairos.Bundles;

/// <summary>
/// The distribution of a bundle's training inputs (the scaled snapshot features and the scaled continuous context of
/// every training row) as a Gaussian with a Ledoit-Wolf shrunk covariance, and the out-of-distribution guard built on
/// it: a bar's distance is its Mahalanobis distance from the training mean, <c>|L^-1 (x - mean)|</c> with
/// <c>L L^T</c> the shrunk covariance; a bar farther than <see cref="Threshold"/> (the training rows' own
/// <see cref="Quantile"/> quantile of that distance) is out of distribution. Unlike FreqAI's dissimilarity index
/// (mean Euclidean distance to the training points over their mean pairwise distance) it accounts for the strong
/// correlation between the features (returns and ranges over overlapping windows would otherwise count one move many
/// times), costs O(d^2) per bar instead of O(n d), and its threshold has a stated false-alarm rate on the training rows
/// (1 - <see cref="Quantile"/>); the rate on the dataset's later splits is recorded beside it (<see cref="SplitRates"/>).
/// Stored in a bundle as <see cref="FileName"/> (format: docs/bundles.md).
/// </summary>
public sealed class InputDistribution
{
    public const string FileName = "input_distribution.json";
    public const string Kind = "kairos.input_distribution";
    public const int SchemaVersion = 1;
    public const double DefaultQuantile = 0.995;

    private double[]? _work;

    [JsonPropertyName("kind")] public string FileKind { get; init; } = Kind;
    [JsonPropertyName("schema_version")] public int Version { get; init; } = SchemaVersion;
    /// <summary>Input names: the snapshot features then the continuous context, all scaled with the train scalers.</summary>
    [JsonPropertyName("inputs")] public required IReadOnlyList<string> Inputs { get; init; }
    [JsonPropertyName("training_rows")] public required long TrainingRows { get; init; }
    [JsonPropertyName("mean")] public required double[] Mean { get; init; }
    /// <summary>Ledoit-Wolf shrinkage intensity toward a scaled identity.</summary>
    [JsonPropertyName("shrinkage")] public required double Shrinkage { get; init; }
    /// <summary>Lower-triangular Cholesky factor of the shrunk covariance, row-major <c>[d, d]</c>.</summary>
    [JsonPropertyName("cholesky")] public required double[] Cholesky { get; init; }
    [JsonPropertyName("quantile")] public required double Quantile { get; init; }
    [JsonPropertyName("threshold")] public required double Threshold { get; init; }
    /// <summary>Fraction of each split's rows beyond the threshold (train: about 1 - quantile by construction).</summary>
    [JsonPropertyName("split_rates")] public required IReadOnlyDictionary<string, double> SplitRates { get; init; }

    [JsonIgnore] public int Dimension => Mean.Length;

    /// <summary>
    /// Fits the distribution on the rows of <paramref name="trainSplit"/> of the dataset at <paramref name="reader"/> and
    /// measures the threshold's firing rate on every split.
    /// </summary>
    public static InputDistribution Fit(DatasetReader reader, string trainSplit = "train", double quantile = DefaultQuantile)
    {
        var names = reader.Metadata.SnapshotFeatures.Concat(reader.Metadata.ContextContinuous).ToArray();
        var (rows, data) = ReadInputs(reader, trainSplit);
        if (rows < 2) throw new DataException(reader.Directory, "input-distribution", $"split '{trainSplit}' has {rows} rows: at least 2 are needed to fit the training input distribution");
        var fitted = Fit(names, data, rows, quantile, reader.Directory);
        var rates = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var split in reader.SplitNames)
        {
            var (n, values) = split == trainSplit ? (rows, data) : ReadInputs(reader, split);
            if (n > 0) rates[split] = fitted.RateBeyond(values, n);
        }
        return new InputDistribution
        {
            Inputs = fitted.Inputs, TrainingRows = rows, Mean = fitted.Mean, Shrinkage = fitted.Shrinkage, Cholesky = fitted.Cholesky,
            Quantile = quantile, Threshold = fitted.Threshold, SplitRates = rates,
        };
    }

    /// <summary>
    /// Fits the distribution on <paramref name="rows"/> input vectors laid end to end in <paramref name="data"/> (row-major,
    /// <paramref name="names"/>.Count values each); <paramref name="source"/> names the data in errors.
    /// </summary>
    public static InputDistribution Fit(IReadOnlyList<string> names, float[] data, int rows, double quantile = DefaultQuantile, string source = "training inputs")
    {
        if (!(quantile is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "must lie in (0, 1)");
        var d = names.Count;
        if (rows < 2) throw new DataException(source, "input-distribution", $"{rows} rows: at least 2 are needed to fit the training input distribution");
        if (data.LongLength != (long)rows * d) throw new ArgumentException($"{rows} rows of {d} inputs need {(long)rows * d} values, got {data.LongLength}", nameof(data));
        var mean = new double[d];
        for (var i = 0; i < rows; i++)
            for (var c = 0; c < d; c++) mean[c] += data[(long)i * d + c];
        for (var c = 0; c < d; c++) mean[c] /= rows;
        // Sample covariance S (1/n) and the Ledoit-Wolf shrinkage toward m I, m = tr(S) / d.
        var s = new double[d * d];
        var x = new double[d];
        for (var i = 0; i < rows; i++)
        {
            for (var c = 0; c < d; c++) x[c] = data[(long)i * d + c] - mean[c];
            for (var a = 0; a < d; a++)
            {
                var xa = x[a];
                for (var b = 0; b <= a; b++) s[a * d + b] += xa * x[b];
            }
        }
        for (var a = 0; a < d; a++)
            for (var b = 0; b <= a; b++)
            {
                s[a * d + b] /= rows;
                s[b * d + a] = s[a * d + b];
            }
        var m = 0.0;
        for (var a = 0; a < d; a++) m += s[a * d + a];
        m /= d;
        var d2 = 0.0;
        var sNorm2 = 0.0;
        for (var a = 0; a < d; a++)
            for (var b = 0; b < d; b++)
            {
                var v = s[a * d + b];
                sNorm2 += v * v;
                var t = v - (a == b ? m : 0);
                d2 += t * t;
            }
        // b2 = (1/n^2) sum_k |x_k x_k^T - S|_F^2, with |x x^T - S|^2 = |x|^4 - 2 x^T S x + |S|^2.
        var b2 = 0.0;
        var sx = new double[d];
        for (var i = 0; i < rows; i++)
        {
            var norm2 = 0.0;
            for (var c = 0; c < d; c++)
            {
                x[c] = data[(long)i * d + c] - mean[c];
                norm2 += x[c] * x[c];
            }
            var quad = 0.0;
            for (var a = 0; a < d; a++)
            {
                var acc = 0.0;
                for (var b = 0; b < d; b++) acc += s[a * d + b] * x[b];
                quad += acc * x[a];
            }
            b2 += norm2 * norm2 - 2 * quad + sNorm2;
        }
        b2 /= (double)rows * rows;
        b2 = Math.Min(b2, d2);
        var shrinkage = d2 > 0 ? b2 / d2 : 1.0;
        var floor = Math.Max(m, 1e-12);
        for (var a = 0; a < d; a++)
            for (var b = 0; b < d; b++)
                s[a * d + b] = (1 - shrinkage) * s[a * d + b] + (a == b ? shrinkage * floor : 0);
        var cholesky = Decompose(s, d, source);

        var fitted = new InputDistribution
        {
            Inputs = names, TrainingRows = rows, Mean = mean, Shrinkage = shrinkage, Cholesky = cholesky,
            Quantile = quantile, Threshold = double.PositiveInfinity, SplitRates = new Dictionary<string, double>(),
        };
        var distances = new double[rows];
        for (var i = 0; i < rows; i++) distances[i] = fitted.Distance(data.AsSpan((int)((long)i * d), d));
        Array.Sort(distances);
        // The smallest distance with at least `quantile` of the training rows at or below it.
        var threshold = distances[Math.Min(rows - 1, (int)Math.Ceiling(quantile * rows) - 1)];
        return new InputDistribution
        {
            Inputs = names.ToArray(), TrainingRows = rows, Mean = mean, Shrinkage = shrinkage, Cholesky = cholesky,
            Quantile = quantile, Threshold = threshold, SplitRates = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["train"] = fitted.RateBeyond(data, rows, threshold) },
        };
    }

    /// <summary>Fraction of <paramref name="rows"/> input vectors farther than the threshold (or <paramref name="threshold"/>).</summary>
    public double RateBeyond(float[] data, int rows, double? threshold = null)
    {
        var limit = threshold ?? Threshold;
        var d = Dimension;
        long beyond = 0;
        for (var i = 0; i < rows; i++)
            if (Distance(data.AsSpan(i * d, d)) > limit) beyond++;
        return rows == 0 ? 0 : (double)beyond / rows;
    }

    /// <summary>Mahalanobis distance of one input vector (same order as <see cref="Inputs"/>). Not thread-safe.</summary>
    public double Distance(ReadOnlySpan<float> input)
    {
        var d = Dimension;
        if (input.Length != d) throw new ArgumentException($"the input has {input.Length} values, the distribution {d}", nameof(input));
        var z = _work ??= new double[d];
        var sum = 0.0;
        for (var a = 0; a < d; a++)
        {
            var acc = input[a] - Mean[a];
            var row = a * d;
            for (var b = 0; b < a; b++) acc -= Cholesky[row + b] * z[b];
            z[a] = acc / Cholesky[row + a];
            sum += z[a] * z[a];
        }
        return Math.Sqrt(sum);
    }

    public bool IsOutside(double distance) => distance > Threshold;

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    public static InputDistribution Read(string path)
    {
        InputDistribution? value;
        try
        {
            value = JsonSerializer.Deserialize<InputDistribution>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new DataException(path, "input-distribution", "not a valid input distribution: " + e.Message, e);
        }
        if (value is null || value.FileKind != Kind)
            throw new DataException(path, "input-distribution", $"kind is not '{Kind}'");
        if (value.Version > SchemaVersion)
            throw new DataException(path, "input-distribution", $"schema_version {value.Version} is newer than this reader ({SchemaVersion}): upgrade Kairos");
        var d = value.Mean.Length;
        if (value.Inputs.Count != d || value.Cholesky.Length != d * d)
            throw new DataException(path, "input-distribution", $"{value.Inputs.Count} inputs, {d} means and {value.Cholesky.Length} Cholesky entries do not agree");
        return value;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static (int Rows, float[] Data) ReadInputs(DatasetReader reader, string split)
    {
        var columns = reader.Metadata.SnapshotFeatures.Concat(reader.Metadata.ContextContinuous).ToArray();
        var rows = reader.ReadSplit(split, columns);
        var snapshot = reader.BuildSnapshotMatrix(rows);
        var context = reader.BuildContextContinuous(rows);
        int n = rows.Rows, f = snapshot.Shape[1], k = context.Shape[1];
        var data = new float[(long)n * (f + k)];
        for (var i = 0; i < n; i++)
        {
            Array.Copy(snapshot.Data, (long)i * f, data, (long)i * (f + k), f);
            Array.Copy(context.Data, (long)i * k, data, (long)i * (f + k) + f, k);
        }
        return (n, data);
    }

    private static double[] Decompose(double[] a, int d, string source)
    {
        var l = new double[d * d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i * d + j];
                for (var k = 0; k < j; k++) sum -= l[i * d + k] * l[j * d + k];
                if (i == j)
                {
                    if (!(sum > 0)) throw new DataException(source, "input-distribution", $"the shrunk covariance of the training inputs is not positive definite at input {i}");
                    l[i * d + i] = Math.Sqrt(sum);
                }
                else l[i * d + j] = sum / l[j * d + j];
            }
        return l;
    }
}
