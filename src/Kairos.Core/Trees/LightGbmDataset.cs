using System.Runtime.InteropServices;
using Kairos.Trees.Native;

namespace Kairos.Trees;

/// <summary>
/// A LightGBM training or validation dataset built from a dense float32 matrix and 0/1 labels
/// (<c>LGBM_DatasetCreateFromMat</c>). A validation dataset must be created with the training dataset as
/// <c>reference</c> so that both share the same feature bins.
/// </summary>
public sealed unsafe class LightGbmDataset : IDisposable
{
    private readonly DatasetSafeHandle _handle;
    private readonly LightGbmDataset? _reference;

    private LightGbmDataset(DatasetSafeHandle handle, byte[] labels, IReadOnlyList<string> featureNames, LightGbmDataset? reference)
    {
        _handle = handle;
        _reference = reference;
        Labels = labels;
        FeatureNames = featureNames;
    }

    public int Rows => Labels.Count;

    /// <summary>The 0/1 label of every row, in row order.</summary>
    public IReadOnlyList<byte> Labels { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    internal DatasetSafeHandle Handle => _handle;

    /// <summary>
    /// Builds a dataset. <paramref name="parameters"/> are LightGBM dataset parameters
    /// (<c>max_bin</c>, <c>categorical_feature</c>, <c>num_threads</c>, ...), usually
    /// <see cref="GbdtParameters.ToLightGbmString"/>.
    /// </summary>
    public static LightGbmDataset Create(FeatureMatrix features, ReadOnlySpan<int> labels, string parameters, LightGbmDataset? reference = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (labels.Length != features.Rows)
            throw new ArgumentException($"{labels.Length} labels for {features.Rows} rows.", nameof(labels));
        if (features.Rows == 0)
            throw new ArgumentException("A LightGBM dataset needs at least one row.", nameof(features));
        if (reference is not null && reference.FeatureNames.Count != features.Columns)
            throw new ArgumentException($"{features.Columns} columns but the reference dataset has {reference.FeatureNames.Count}.", nameof(features));
        var floatLabels = new float[labels.Length];
        var byteLabels = new byte[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
                throw new ArgumentException($"Label {labels[i]} at row {i} is not 0 or 1.", nameof(labels));
            floatLabels[i] = labels[i];
            byteLabels[i] = (byte)labels[i];
        }

        var referenceAdded = false;
        try
        {
            var referenceHandle = nint.Zero;
            if (reference is not null)
            {
                reference._handle.DangerousAddRef(ref referenceAdded);
                referenceHandle = reference._handle.DangerousGetHandle();
            }
            nint raw;
            fixed (float* data = features.Values)
                LightGbmNative.Check(
                    LightGbmNative.LGBM_DatasetCreateFromMat(data, LightGbmNative.DTypeFloat32, features.Rows, features.Columns, 1, parameters, referenceHandle, out raw),
                    "LGBM_DatasetCreateFromMat");
            var handle = new DatasetSafeHandle(raw);
            try
            {
                fixed (float* label = floatLabels)
                    LightGbmNative.Check(
                        LightGbmNative.LGBM_DatasetSetField(raw, "label", label, floatLabels.Length, LightGbmNative.DTypeFloat32),
                        "LGBM_DatasetSetField(label)");
                SetFeatureNames(raw, features.FeatureNames);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
            return new LightGbmDataset(handle, byteLabels, features.FeatureNames, reference);
        }
        finally
        {
            if (referenceAdded) reference!._handle.DangerousRelease();
        }
    }

    private static void SetFeatureNames(nint handle, IReadOnlyList<string> names)
    {
        var pointers = new nint[names.Count];
        try
        {
            for (var i = 0; i < names.Count; i++)
                pointers[i] = Marshal.StringToCoTaskMemUTF8(names[i]);
            fixed (nint* p = pointers)
                LightGbmNative.Check(LightGbmNative.LGBM_DatasetSetFeatureNames(handle, p, names.Count), "LGBM_DatasetSetFeatureNames");
        }
        finally
        {
            foreach (var pointer in pointers)
                if (pointer != nint.Zero) Marshal.FreeCoTaskMem(pointer);
        }
    }

    public void Dispose()
    {
        _handle.Dispose();
        GC.KeepAlive(_reference);
    }
}
