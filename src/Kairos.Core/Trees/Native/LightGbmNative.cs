using System.Runtime.InteropServices;

namespace Kairos.Trees.Native;

/// <summary>
/// P/Invoke declarations for the LightGBM 4.x C API (<c>include/LightGBM/c_api.h</c>) of the native
/// <c>lib_lightgbm</c> shipped by the LightGBM NuGet package. Every function returns 0 on success and -1
/// on failure, with the message in <see cref="LGBM_GetLastError"/>; callers go through <see cref="Check"/>.
/// </summary>
internal static unsafe partial class LightGbmNative
{
    private const string Library = "lib_lightgbm";

    public const int DTypeFloat32 = 0;
    public const int DTypeFloat64 = 1;
    public const int PredictNormal = 0;
    public const int PredictRawScore = 1;
    public const int ImportanceSplit = 0;
    public const int ImportanceGain = 1;

    [LibraryImport(Library)]
    public static partial nint LGBM_GetLastError();

    /// <summary>
    /// LightGBM's own setter of its process-wide thread count, the one a <c>num_threads</c> parameter calls (0: OpenMP's
    /// default). Only <see cref="LightGbmThreadGate"/> calls it.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "OMP_SET_NUM_THREADS")]
    public static partial void SetThreadCount(int threads);

    /// <summary>The thread count LightGBM's next parallel region runs on (for tests).</summary>
    [LibraryImport(Library, EntryPoint = "OMP_NUM_THREADS")]
    public static partial int ThreadCount();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_DatasetCreateFromMat(void* data, int dataType, int nrow, int ncol, int isRowMajor, string parameters, nint reference, out nint handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_GetSampleCount(int numTotalRow, string parameters, out int count);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_SampleIndices(int numTotalRow, string parameters, void* indices, out int length);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_DatasetCreateFromSampledColumn(double** sampleData, int** sampleIndices, int ncol, int* numPerCol, int numSampleRow,
        int numLocalRow, long numDistRow, string parameters, out nint handle);

    [LibraryImport(Library)]
    public static partial int LGBM_DatasetCreateByReference(nint reference, long numTotalRow, out nint handle);

    [LibraryImport(Library)]
    public static partial int LGBM_DatasetPushRows(nint handle, void* data, int dataType, int nrow, int ncol, int startRow);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_DatasetSaveBinary(nint handle, string filename);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_DatasetCreateFromFile(string filename, string parameters, nint reference, out nint handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_DatasetGetField(nint handle, string fieldName, out int length, out void* data, out int type);

    [LibraryImport(Library)]
    public static partial int LGBM_DatasetGetFeatureNames(nint handle, int length, out int numFeatureNames, nuint bufferLength, out nuint requiredBufferLength, nint* featureNames);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_DatasetSetField(nint handle, string fieldName, void* fieldData, int numElement, int type);

    [LibraryImport(Library)]
    public static partial int LGBM_DatasetSetFeatureNames(nint handle, nint* featureNames, int numFeatureNames);

    [LibraryImport(Library)]
    public static partial int LGBM_DatasetGetNumData(nint handle, out int count);

    [LibraryImport(Library)]
    public static partial int LGBM_DatasetGetNumFeature(nint handle, out int count);

    [LibraryImport(Library)]
    public static partial int LGBM_DatasetFree(nint handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_BoosterCreate(nint trainData, string parameters, out nint handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_BoosterLoadModelFromString(string modelText, out int numIterations, out nint handle);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterAddValidData(nint handle, nint validData);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterUpdateOneIter(nint handle, out int isFinished);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterGetCurrentIteration(nint handle, out int iteration);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterGetEvalCounts(nint handle, out int count);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterGetEval(nint handle, int dataIndex, out int count, double* results);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterGetNumPredict(nint handle, int dataIndex, out long length);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterGetPredict(nint handle, int dataIndex, out long length, double* result);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterGetNumFeature(nint handle, out int count);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_BoosterPredictForMat(nint handle, void* data, int dataType, int nrow, int ncol, int isRowMajor, int predictType, int startIteration, int numIteration, string parameter, out long outLength, double* result);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LGBM_BoosterPredictForMatSingleRowFastInit(nint handle, int predictType, int startIteration, int numIteration, int dataType, int ncol, string parameter, out nint fastConfig);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterPredictForMatSingleRowFast(nint fastConfig, void* data, out long outLength, double* result);

    [LibraryImport(Library)]
    public static partial int LGBM_FastConfigFree(nint fastConfig);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterSaveModelToString(nint handle, int startIteration, int numIteration, int featureImportanceType, long bufferLength, out long outLength, byte* result);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterFeatureImportance(nint handle, int numIteration, int importanceType, double* results);

    [LibraryImport(Library)]
    public static partial int LGBM_BoosterFree(nint handle);

    /// <summary>Throws <see cref="LightGbmException"/> carrying LightGBM's last error when <paramref name="status"/> is not 0.</summary>
    public static void Check(int status, string call)
    {
        if (status == 0) return;
        var message = Marshal.PtrToStringUTF8(LGBM_GetLastError()) ?? "(no message)";
        throw new LightGbmException(call, message);
    }
}
