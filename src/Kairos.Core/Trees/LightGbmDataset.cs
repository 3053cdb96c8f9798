using System.Runtime.InteropServices;
using Kairos.Artifacts;
using Kairos.Trees.Native;

namespace Kairos.Trees;

/// <summary>
/// A LightGBM training or validation dataset with 0/1 labels, built from a dense float32 matrix in one call
/// (<c>LGBM_DatasetCreateFromMat</c>, <see cref="Create"/>), from rows pushed a chunk at a time
/// (<c>LGBM_DatasetCreateFromSampledColumn</c> + <c>LGBM_DatasetPushRows</c>, <see cref="CreateChunked"/>), or from
/// LightGBM's binary dataset file (<see cref="SaveBinary"/>, <see cref="OpenBinary"/>). A validation dataset must be
/// created with the training dataset as <c>reference</c> so that both share the same feature bins.
/// </summary>
public sealed unsafe class LightGbmDataset : IDisposable
{
    /// <summary>Rows pushed to LightGBM at a time by <see cref="CreateChunked"/> unless told otherwise.</summary>
    public const int DefaultChunkRows = 65_536;

    /// <summary>LightGBM's <c>kZeroThreshold</c> (a float constant): sampled values at or below it in magnitude are zeros and not handed over.</summary>
    private const double ZeroThreshold = 1e-35f;

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
        var (floatLabels, byteLabels) = CheckedLabels(features, labels, reference);
        // LGBM_DatasetCreateFromMat makes the dataset and pushes the rows in one call: the same window as CreateChunked.
        using var gate = LightGbmThreadGate.Exclusive();
        var raw = WithReference(reference, referenceHandle =>
        {
            nint created;
            fixed (float* data = features.Values)
                LightGbmNative.Check(
                    LightGbmNative.LGBM_DatasetCreateFromMat(data, LightGbmNative.DTypeFloat32, features.Rows, features.Columns, 1, parameters, referenceHandle, out created),
                    "LGBM_DatasetCreateFromMat");
            return created;
        });
        return Complete(raw, floatLabels, byteLabels, features.FeatureNames, reference);
    }

    /// <summary>
    /// <see cref="Create"/> for a matrix in memory, <see cref="CreateChunked"/> (in chunks of the source's
    /// <see cref="IFeatureRows.ChunkRows"/>) for any other source: the same dataset either way.
    /// </summary>
    public static LightGbmDataset Build(IFeatureRows rows, ReadOnlySpan<int> labels, string parameters, LightGbmDataset? reference = null) =>
        rows is FeatureMatrix matrix ? Create(matrix, labels, parameters, reference) : CreateChunked(rows, labels, parameters, reference, rows.ChunkRows);

    /// <summary>
    /// Builds the same dataset as <see cref="Create"/> would from the whole matrix, from <paramref name="rows"/> handed over
    /// <paramref name="chunkRows"/> at a time, so neither this process nor LightGBM holds the float matrix: LightGBM keeps
    /// only its binned columns. Without <paramref name="reference"/> the bins come from the same rows <c>Create</c> samples:
    /// LightGBM's own <c>LGBM_SampleIndices</c> (its <c>data_random_seed</c> and <c>bin_construct_sample_cnt</c>), gathered in
    /// one pass and handed to <c>LGBM_DatasetCreateFromSampledColumn</c> with the non-zero filter <c>Create</c> applies; a
    /// second pass pushes every row (<c>LGBM_DatasetPushRows</c>). The model trained on it is the same, byte for byte
    /// (<c>LightGbmDatasetTests</c>).
    /// </summary>
    public static LightGbmDataset CreateChunked(IFeatureRows rows, ReadOnlySpan<int> labels, string parameters, LightGbmDataset? reference = null,
        int chunkRows = DefaultChunkRows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        var (floatLabels, byteLabels) = CheckedLabels(rows, labels, reference);
        var columns = rows.FeatureNames.Count;
        // From making the dataset (which sizes its per-thread push buffers by LightGBM's process-wide thread count) to the last push.
        using var gate = LightGbmThreadGate.Exclusive();
        var raw = WithReference(reference, referenceHandle =>
        {
            nint created;
            if (referenceHandle != nint.Zero)
                LightGbmNative.Check(LightGbmNative.LGBM_DatasetCreateByReference(referenceHandle, rows.Rows, out created), "LGBM_DatasetCreateByReference");
            else
                created = FromSample(rows, parameters, chunkRows);
            return created;
        });
        var handle = new DatasetSafeHandle(raw);
        try
        {
            var pushed = 0;
            foreach (var (start, count, values) in rows.Chunks(chunkRows))
            {
                if (start != pushed || values.Length != count * columns)
                    throw new InvalidOperationException($"the row source gave rows {start}..{start + count} ({values.Length} values) after {pushed} rows of {columns} columns");
                fixed (float* data = values.Span)
                    LightGbmNative.Check(LightGbmNative.LGBM_DatasetPushRows(raw, data, LightGbmNative.DTypeFloat32, count, columns, start), "LGBM_DatasetPushRows");
                pushed += count;
            }
            if (pushed != rows.Rows) throw new InvalidOperationException($"the row source gave {pushed} rows, it declares {rows.Rows}");
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return Complete(handle, floatLabels, byteLabels, rows.FeatureNames, reference);
    }

    /// <summary>The bins of <c>LGBM_DatasetCreateFromMat</c>: its sampled rows' values per column, zeros left out, in sample order.</summary>
    private static nint FromSample(IFeatureRows rows, string parameters, int chunkRows)
    {
        LightGbmNative.Check(LightGbmNative.LGBM_GetSampleCount(rows.Rows, parameters, out var sampleCount), "LGBM_GetSampleCount");
        var sample = new int[sampleCount];
        int length;
        fixed (int* p = sample)
            LightGbmNative.Check(LightGbmNative.LGBM_SampleIndices(rows.Rows, parameters, p, out length), "LGBM_SampleIndices");
        if (!IsAscending(sample.AsSpan(0, length)))
            throw new LightGbmException("LGBM_SampleIndices", "the sampled rows are not in ascending order, which the chunked build relies on");
        var columns = rows.FeatureNames.Count;
        var sampleData = new double[columns][];
        var sampleIndices = new int[columns][];
        var perColumn = new int[columns];
        for (var k = 0; k < columns; k++)
        {
            sampleData[k] = new double[length];
            sampleIndices[k] = new int[length];
        }
        var next = 0;
        foreach (var (start, count, chunk) in rows.Chunks(chunkRows))
        {
            var span = chunk.Span;
            for (; next < length && sample[next] < start + count; next++)
            {
                var row = sample[next] - start;
                for (var k = 0; k < columns; k++)
                {
                    double v = span[row * columns + k];
                    if (!(Math.Abs(v) > ZeroThreshold || double.IsNaN(v))) continue;
                    sampleData[k][perColumn[k]] = v;
                    sampleIndices[k][perColumn[k]++] = next;
                }
            }
        }
        var pins = sampleData.Select(a => GCHandle.Alloc(a, GCHandleType.Pinned)).Concat(sampleIndices.Select(a => GCHandle.Alloc(a, GCHandleType.Pinned))).ToList();
        try
        {
            var dataPointers = sampleData.Select((_, k) => (nint)pins[k].AddrOfPinnedObject()).ToArray();
            var indexPointers = sampleIndices.Select((_, k) => (nint)pins[columns + k].AddrOfPinnedObject()).ToArray();
            nint created;
            fixed (nint* d = dataPointers)
            fixed (nint* i = indexPointers)
            fixed (int* n = perColumn)
                LightGbmNative.Check(LightGbmNative.LGBM_DatasetCreateFromSampledColumn((double**)d, (int**)i, columns, n, length, rows.Rows, rows.Rows, parameters, out created),
                    "LGBM_DatasetCreateFromSampledColumn");
            return created;
        }
        finally
        {
            foreach (var pin in pins) pin.Free();
        }
    }

    private static bool IsAscending(ReadOnlySpan<int> values)
    {
        for (var i = 1; i < values.Length; i++)
            if (values[i] <= values[i - 1]) return false;
        return true;
    }

    /// <summary>
    /// Writes LightGBM's binary dataset file (bins, labels, feature names) to <paramref name="path"/>, atomically
    /// (<see cref="AtomicFile"/>): read it back with <see cref="OpenBinary"/> instead of building the dataset again.
    /// </summary>
    public void SaveBinary(string path) =>
        AtomicFile.WriteByPath(path, temporary => LightGbmNative.Check(LightGbmNative.LGBM_DatasetSaveBinary(_handle.DangerousGetHandle(), temporary), "LGBM_DatasetSaveBinary"));

    /// <summary>
    /// A dataset read from a file <see cref="SaveBinary"/> wrote (<c>LGBM_DatasetCreateFromFile</c>), with its labels and
    /// feature names; <paramref name="parameters"/> as for <see cref="Create"/>. A missing file is a <see cref="FileNotFoundException"/>.
    /// </summary>
    public static LightGbmDataset OpenBinary(string path, string parameters, LightGbmDataset? reference = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no LightGBM binary dataset at {path}", path);
        using var gate = LightGbmThreadGate.Exclusive();
        var raw = WithReference(reference, referenceHandle =>
        {
            LightGbmNative.Check(LightGbmNative.LGBM_DatasetCreateFromFile(path, parameters, referenceHandle, out var created), "LGBM_DatasetCreateFromFile");
            return created;
        });
        var handle = new DatasetSafeHandle(raw);
        try
        {
            LightGbmNative.Check(LightGbmNative.LGBM_DatasetGetField(raw, "label", out var length, out var data, out var type), "LGBM_DatasetGetField(label)");
            if (type != LightGbmNative.DTypeFloat32) throw new LightGbmException("LGBM_DatasetGetField(label)", $"{path}: labels of type {type}, expected float32");
            var labels = new ReadOnlySpan<float>(data, length);
            var bytes = new byte[length];
            for (var i = 0; i < length; i++)
                bytes[i] = labels[i] switch
                {
                    0f => 0,
                    1f => 1,
                    var other => throw new LightGbmException("LGBM_DatasetGetField(label)", $"{path}: label {other} at row {i} is not 0 or 1"),
                };
            return new LightGbmDataset(handle, bytes, FeatureNamesOf(raw), reference);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static string[] FeatureNamesOf(nint handle)
    {
        LightGbmNative.Check(LightGbmNative.LGBM_DatasetGetNumFeature(handle, out var count), "LGBM_DatasetGetNumFeature");
        const int bufferLength = 256;
        var buffers = new nint[count];
        try
        {
            for (var i = 0; i < count; i++) buffers[i] = Marshal.AllocHGlobal(bufferLength);
            fixed (nint* p = buffers)
                LightGbmNative.Check(LightGbmNative.LGBM_DatasetGetFeatureNames(handle, count, out var n, bufferLength, out var required, p), "LGBM_DatasetGetFeatureNames");
            return buffers.Select(b => Marshal.PtrToStringUTF8(b)!).ToArray();
        }
        finally
        {
            foreach (var b in buffers)
                if (b != nint.Zero) Marshal.FreeHGlobal(b);
        }
    }

    private static (float[] Float, byte[] Byte) CheckedLabels(IFeatureRows rows, ReadOnlySpan<int> labels, LightGbmDataset? reference)
    {
        if (labels.Length != rows.Rows)
            throw new ArgumentException($"{labels.Length} labels for {rows.Rows} rows.", nameof(labels));
        if (rows.Rows == 0)
            throw new ArgumentException("A LightGBM dataset needs at least one row.", nameof(rows));
        if (reference is not null && reference.FeatureNames.Count != rows.FeatureNames.Count)
            throw new ArgumentException($"{rows.FeatureNames.Count} columns but the reference dataset has {reference.FeatureNames.Count}.", nameof(rows));
        var floatLabels = new float[labels.Length];
        var byteLabels = new byte[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
                throw new ArgumentException($"Label {labels[i]} at row {i} is not 0 or 1.", nameof(labels));
            floatLabels[i] = labels[i];
            byteLabels[i] = (byte)labels[i];
        }
        return (floatLabels, byteLabels);
    }

    /// <summary>Calls <paramref name="create"/> with the reference's native handle (zero without one), kept alive for the call.</summary>
    private static nint WithReference(LightGbmDataset? reference, Func<nint, nint> create)
    {
        var referenceAdded = false;
        try
        {
            var referenceHandle = nint.Zero;
            if (reference is not null)
            {
                reference._handle.DangerousAddRef(ref referenceAdded);
                referenceHandle = reference._handle.DangerousGetHandle();
            }
            return create(referenceHandle);
        }
        finally
        {
            if (referenceAdded) reference!._handle.DangerousRelease();
        }
    }

    private static LightGbmDataset Complete(nint raw, float[] floatLabels, byte[] byteLabels, IReadOnlyList<string> names, LightGbmDataset? reference) =>
        Complete(new DatasetSafeHandle(raw), floatLabels, byteLabels, names, reference);

    /// <summary>Sets the labels and feature names on a built dataset (disposing it if that fails).</summary>
    private static LightGbmDataset Complete(DatasetSafeHandle handle, float[] floatLabels, byte[] byteLabels, IReadOnlyList<string> names, LightGbmDataset? reference)
    {
        try
        {
            var raw = handle.DangerousGetHandle();
            fixed (float* label = floatLabels)
                LightGbmNative.Check(
                    LightGbmNative.LGBM_DatasetSetField(raw, "label", label, floatLabels.Length, LightGbmNative.DTypeFloat32),
                    "LGBM_DatasetSetField(label)");
            SetFeatureNames(raw, names);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return new LightGbmDataset(handle, byteLabels, names, reference);
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
