using System.Text;
using Kairos.Trees.Native;

namespace Kairos.Trees;

/// <summary>
/// A LightGBM booster: either training (created on a <see cref="LightGbmDataset"/>, advanced one boosting
/// iteration at a time) or loaded from LightGBM's own text model format for prediction. Not thread-safe:
/// one thread uses a booster at a time (LightGBM parallelises inside each call).
/// </summary>
public sealed unsafe class LightGbmBooster : IDisposable
{
    private readonly BoosterSafeHandle _handle;
    private readonly List<LightGbmDataset> _datasets = [];

    private LightGbmBooster(BoosterSafeHandle handle, int featureCount, int threads)
    {
        _handle = handle;
        FeatureCount = featureCount;
        Threads = threads;
    }

    /// <summary>
    /// The thread count the booster was made with (its <c>num_threads</c>; 1 for a loaded model): LightGBM sizes the
    /// booster's per-thread buffers by it, so every call that runs on the booster's own count holds
    /// <see cref="LightGbmThreadGate"/> on it.
    /// </summary>
    internal int Threads { get; }

    /// <summary>The <c>num_threads</c> of LightGBM parameters (0, OpenMP's default, when they give none).</summary>
    internal static int ThreadsOf(string parameters)
    {
        var match = System.Text.RegularExpressions.Regex.Match(parameters, @"(?:^|\s)num_threads=(?<n>[0-9]+)(?:\s|$)");
        return match.Success ? int.Parse(match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Number of input features the booster expects.</summary>
    public int FeatureCount { get; }

    /// <summary>Creates a booster that trains on <paramref name="train"/> with LightGBM parameters.</summary>
    public static LightGbmBooster Create(LightGbmDataset train, string parameters)
    {
        ArgumentNullException.ThrowIfNull(train);
        var added = false;
        try
        {
            train.Handle.DangerousAddRef(ref added);
            var threads = ThreadsOf(parameters);
            using var gate = LightGbmThreadGate.Shared(threads);
            LightGbmNative.Check(LightGbmNative.LGBM_BoosterCreate(train.Handle.DangerousGetHandle(), parameters, out var raw), "LGBM_BoosterCreate");
            var booster = new LightGbmBooster(new BoosterSafeHandle(raw), train.FeatureNames.Count, threads);
            booster._datasets.Add(train);
            return booster;
        }
        finally
        {
            if (added) train.Handle.DangerousRelease();
        }
    }

    /// <summary>Loads a model saved in LightGBM's text format (by any LightGBM binding).</summary>
    public static LightGbmBooster Load(string modelText)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelText);
        nint raw;
        using (LightGbmThreadGate.Shared(1))
            LightGbmNative.Check(LightGbmNative.LGBM_BoosterLoadModelFromString(modelText, out _, out raw), "LGBM_BoosterLoadModelFromString");
        var handle = new BoosterSafeHandle(raw);
        try
        {
            LightGbmNative.Check(LightGbmNative.LGBM_BoosterGetNumFeature(raw, out var features), "LGBM_BoosterGetNumFeature");
            return new LightGbmBooster(handle, features, threads: 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Adds a validation dataset; its metrics are read with <see cref="Evaluate"/> at index 1, 2, ...</summary>
    public void AddValidation(LightGbmDataset valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        var added = false;
        try
        {
            valid.Handle.DangerousAddRef(ref added);
            using var gate = LightGbmThreadGate.Shared(Threads);
            LightGbmNative.Check(LightGbmNative.LGBM_BoosterAddValidData(Raw, valid.Handle.DangerousGetHandle()), "LGBM_BoosterAddValidData");
            _datasets.Add(valid);
        }
        finally
        {
            if (added) valid.Handle.DangerousRelease();
        }
    }

    /// <summary>Runs one boosting iteration. Returns false when LightGBM cannot split any further.</summary>
    public bool UpdateOneIteration()
    {
        using var gate = LightGbmThreadGate.Shared(Threads);
        LightGbmNative.Check(LightGbmNative.LGBM_BoosterUpdateOneIter(Raw, out var finished), "LGBM_BoosterUpdateOneIter");
        return finished == 0;
    }

    /// <summary>Number of boosting iterations in the model.</summary>
    public int CurrentIteration
    {
        get
        {
            LightGbmNative.Check(LightGbmNative.LGBM_BoosterGetCurrentIteration(Raw, out var iteration), "LGBM_BoosterGetCurrentIteration");
            return iteration;
        }
    }

    /// <summary>The configured metrics on dataset <paramref name="dataIndex"/> (0 = training, 1.. = validation).</summary>
    public double[] Evaluate(int dataIndex)
    {
        LightGbmNative.Check(LightGbmNative.LGBM_BoosterGetEvalCounts(Raw, out var count), "LGBM_BoosterGetEvalCounts");
        var results = new double[count];
        using var gate = LightGbmThreadGate.Shared(Threads);
        fixed (double* r = results)
            LightGbmNative.Check(LightGbmNative.LGBM_BoosterGetEval(Raw, dataIndex, out _, r), "LGBM_BoosterGetEval");
        return results;
    }

    /// <summary>
    /// The current model's probabilities of every row of dataset <paramref name="dataIndex"/> (0 = training, 1.. =
    /// validation), from the scores LightGBM keeps up to date while it trains (no prediction pass). Each row's
    /// probability is computed on its own, so the result does not depend on the thread count.
    /// </summary>
    public double[] ProbabilitiesAt(int dataIndex)
    {
        LightGbmNative.Check(LightGbmNative.LGBM_BoosterGetNumPredict(Raw, dataIndex, out var length), "LGBM_BoosterGetNumPredict");
        var result = new double[length];
        using var gate = LightGbmThreadGate.Shared(Threads);
        fixed (double* r = result)
            LightGbmNative.Check(LightGbmNative.LGBM_BoosterGetPredict(Raw, dataIndex, out var written, r), "LGBM_BoosterGetPredict");
        return result;
    }

    /// <summary>
    /// Raw scores (log-odds for a binary model) of every row of <paramref name="rows"/>, using the first
    /// <paramref name="iterations"/> iterations (all when 0); a matrix in one call, any other source a chunk of <see cref="IFeatureRows.ChunkRows"/> at a
    /// time (each row's score is computed on its own, so the chunks give the scores of the whole matrix).
    /// </summary>
    public double[] PredictRaw(IFeatureRows rows, int iterations = 0, int threads = 1) =>
        Predict(rows, LightGbmNative.PredictRawScore, iterations, threads);

    /// <summary>Probabilities (sigmoid of the raw score for a binary model) of every row of <paramref name="rows"/>, a chunk at a time (as <see cref="PredictRaw(IFeatureRows, int, int)"/>).</summary>
    public double[] PredictProbability(IFeatureRows rows, int iterations = 0, int threads = 1) =>
        Predict(rows, LightGbmNative.PredictNormal, iterations, threads);

    private double[] Predict(IFeatureRows rows, int predictType, int iterations, int threads)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.FeatureNames.Count != FeatureCount)
            throw new ArgumentException($"The booster expects {FeatureCount} features, the rows have {rows.FeatureNames.Count}.", nameof(rows));
        var result = new double[rows.Rows];
        if (rows is FeatureMatrix matrix)
        {
            Predict(matrix.Values, matrix.Rows, result, predictType, iterations, threads);
            return result;
        }
        var done = 0;
        foreach (var (start, count, values) in rows.Chunks(rows.ChunkRows))
        {
            if (start != done) throw new InvalidOperationException($"the row source gave rows from {start} after {done} rows");
            Predict(values.Span, count, result.AsSpan(start, count), predictType, iterations, threads);
            done += count;
        }
        if (done != rows.Rows) throw new InvalidOperationException($"the row source gave {done} rows, it declares {rows.Rows}");
        return result;
    }

    private void Predict(ReadOnlySpan<float> values, int rows, Span<double> result, int predictType, int iterations, int threads)
    {
        if (rows == 0) return;
        long length;
        threads = Math.Max(1, threads);
        using var gate = LightGbmThreadGate.Shared(threads);
        fixed (float* data = values)
        fixed (double* r = result)
            LightGbmNative.Check(
                LightGbmNative.LGBM_BoosterPredictForMat(Raw, data, LightGbmNative.DTypeFloat32, rows, FeatureCount, 1,
                    predictType, 0, iterations <= 0 ? -1 : iterations, $"num_threads={threads}", out length, r),
                "LGBM_BoosterPredictForMat");
        if (length != rows)
            throw new LightGbmException("LGBM_BoosterPredictForMat", $"returned {length} values for {rows} rows");
    }

    /// <summary>
    /// A predictor of raw scores one row at a time (LightGBM's single-row fast path: the prediction setup is done
    /// once here, not on every call as <see cref="PredictRaw"/> does), with every iteration and one thread; the
    /// scores are those of <see cref="PredictRaw"/> on a one-row matrix. The predictor keeps the native booster alive
    /// until it is disposed itself.
    /// </summary>
    public LightGbmRowPredictor CreateRowPredictor()
    {
        using var gate = LightGbmThreadGate.Shared(LightGbmRowPredictor.Threads);
        LightGbmNative.Check(
            LightGbmNative.LGBM_BoosterPredictForMatSingleRowFastInit(Raw, LightGbmNative.PredictRawScore, 0, -1, LightGbmNative.DTypeFloat32, FeatureCount,
                $"num_threads={LightGbmRowPredictor.Threads}", out var raw),
            "LGBM_BoosterPredictForMatSingleRowFastInit");
        var config = new FastConfigSafeHandle(raw);
        try
        {
            return new LightGbmRowPredictor(config, _handle, FeatureCount);
        }
        catch
        {
            config.Dispose();
            throw;
        }
    }

    /// <summary>Total gain of the splits on each feature over the first <paramref name="iterations"/> iterations (all when 0).</summary>
    public double[] FeatureImportanceGain(int iterations = 0)
    {
        var result = new double[FeatureCount];
        using var gate = LightGbmThreadGate.Shared(Threads);
        fixed (double* r = result)
            LightGbmNative.Check(
                LightGbmNative.LGBM_BoosterFeatureImportance(Raw, iterations, LightGbmNative.ImportanceGain, r),
                "LGBM_BoosterFeatureImportance");
        return result;
    }

    /// <summary>The model in LightGBM's text format, truncated to the first <paramref name="iterations"/> iterations (all when 0).</summary>
    public string SaveToString(int iterations = 0)
    {
        var buffer = new byte[1 << 20];
        long length;
        using var gate = LightGbmThreadGate.Shared(Threads);
        fixed (byte* b = buffer)
            LightGbmNative.Check(
                LightGbmNative.LGBM_BoosterSaveModelToString(Raw, 0, iterations, LightGbmNative.ImportanceGain, buffer.Length, out length, b),
                "LGBM_BoosterSaveModelToString");
        if (length > buffer.Length)
        {
            buffer = new byte[length];
            fixed (byte* b = buffer)
                LightGbmNative.Check(
                    LightGbmNative.LGBM_BoosterSaveModelToString(Raw, 0, iterations, LightGbmNative.ImportanceGain, buffer.Length, out length, b),
                    "LGBM_BoosterSaveModelToString");
        }
        return WithoutThreadCount(Encoding.UTF8.GetString(buffer, 0, (int)length - 1));
    }

    /// <summary>
    /// <paramref name="model"/> without the <c>[num_threads: N]</c> line LightGBM writes among the parameters. The thread
    /// count does not change the trees (deterministic row-wise histograms: the same trees on 1 and on 2 threads,
    /// <c>GbdtThreadInvarianceTests</c>), and with <c>threads: auto</c> it would make a model's bytes, and so every
    /// hash over them, depend on how busy the machine was. The decision is recorded in <c>gbdt.json</c> instead.
    /// </summary>
    internal static string WithoutThreadCount(string model)
    {
        const string Key = "\n[num_threads: ";
        var start = model.IndexOf(Key, StringComparison.Ordinal);
        if (start < 0) return model;
        var end = model.IndexOf('\n', start + 1);
        return end < 0 ? model : string.Concat(model.AsSpan(0, start), model.AsSpan(end));
    }

    private nint Raw
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    public void Dispose()
    {
        _handle.Dispose();
        _datasets.Clear();
    }
}
