using System.Runtime.InteropServices;

namespace Kairos.Onnx;

/// <summary>A constant tensor of an ONNX graph (<c>TensorProto</c>): name, shape, element type and little-endian raw data.</summary>
public sealed class OnnxTensor
{
    private readonly byte[] _raw;

    private OnnxTensor(string name, OnnxElementType type, IReadOnlyList<long> dims, byte[] raw)
    {
        var count = dims.Aggregate(1L, (a, b) => a * b);
        var size = type switch { OnnxElementType.Float => 4, OnnxElementType.Bool => 1, _ => 8 };
        if (count * size != raw.Length)
            throw new ArgumentException($"tensor '{name}' of shape [{string.Join(", ", dims)}] needs {count} values, got {raw.Length / size}");
        Name = name;
        Type = type;
        Dims = dims;
        _raw = raw;
    }

    public string Name { get; }
    public OnnxElementType Type { get; }
    public IReadOnlyList<long> Dims { get; }

    public static OnnxTensor Floats(string name, float[] values, params long[] dims) =>
        new(name, OnnxElementType.Float, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static OnnxTensor Doubles(string name, double[] values, params long[] dims) =>
        new(name, OnnxElementType.Double, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static OnnxTensor Int64s(string name, long[] values, params long[] dims) =>
        new(name, OnnxElementType.Int64, dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    internal void Write(ProtoWriter w)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this machine is not");
        if (Dims.Count > 0) w.PackedVarints(1, Dims);
        w.Varint(2, (int)Type);
        w.String(8, Name);
        w.Bytes(9, _raw);
    }
}
