using System.Runtime.InteropServices;
using Kairos.Trees;

namespace Kairos.Bundles;

/// <summary>
/// One LightGBM model prepared for live, one-bar-at-a-time scoring: loaded from LightGBM's text format and
/// bound to <c>LGBM_BoosterPredictForMatSingleRowFast</c>, whose configuration (parameters parsed, buffers
/// allocated) is set up once instead of on every call as <c>LGBM_BoosterPredictForMat</c> does. Raw scores,
/// one thread. Not thread-safe.
/// </summary>
internal sealed unsafe partial class LightGbmSingleRow : IDisposable
{
    private const string Library = "lib_lightgbm";
    private const int DTypeFloat32 = 0;
    private const int PredictRawScore = 1;

    private nint _booster;
    private nint _fast;

    private LightGbmSingleRow(nint booster, nint fast, int featureCount)
    {
        _booster = booster;
        _fast = fast;
        FeatureCount = featureCount;
    }

    public int FeatureCount { get; }

    public static LightGbmSingleRow Load(string modelText)
    {
        Check(LoadModelFromString(modelText, out _, out var booster), "LGBM_BoosterLoadModelFromString");
        try
        {
            Check(GetNumFeature(booster, out var features), "LGBM_BoosterGetNumFeature");
            Check(FastInit(booster, PredictRawScore, 0, -1, DTypeFloat32, features, "num_threads=1", out var fast), "LGBM_BoosterPredictForMatSingleRowFastInit");
            return new LightGbmSingleRow(booster, fast, features);
        }
        catch
        {
            BoosterFree(booster);
            throw;
        }
    }

    /// <summary>Raw score (log-odds) of one row of <see cref="FeatureCount"/> float32 features.</summary>
    public double PredictRaw(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The model expects {FeatureCount} features, {features.Length} were given.", nameof(features));
        ObjectDisposedException.ThrowIf(_fast == 0, this);
        double result;
        long length;
        fixed (float* data = features)
            Check(FastPredict(_fast, data, &length, &result), "LGBM_BoosterPredictForMatSingleRowFast");
        return result;
    }

    public void Dispose()
    {
        if (_fast != 0) FastConfigFree(_fast);
        if (_booster != 0) BoosterFree(_booster);
        _fast = 0;
        _booster = 0;
    }

    private static void Check(int status, string call)
    {
        if (status == 0) return;
        throw new LightGbmException(call, Marshal.PtrToStringUTF8(GetLastError()) ?? "(no message)");
    }

    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    private static partial nint GetLastError();

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterLoadModelFromString", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LoadModelFromString(string modelText, out int iterations, out nint booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetNumFeature")]
    private static partial int GetNumFeature(nint booster, out int features);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMatSingleRowFastInit", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FastInit(nint booster, int predictType, int startIteration, int numIteration, int dataType, int columns, string parameters, out nint fastConfig);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMatSingleRowFast")]
    private static partial int FastPredict(nint fastConfig, void* data, long* length, double* result);

    [LibraryImport(Library, EntryPoint = "LGBM_FastConfigFree")]
    private static partial int FastConfigFree(nint fastConfig);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    private static partial int BoosterFree(nint booster);
}
