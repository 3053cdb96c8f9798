using System.Buffers.Binary;
using System.Text;

namespace Kairos.Onnx;

/// <summary>
/// The protocol buffers wire format, as much of it as ONNX needs: varints (wire type 0), little-endian 32- and 64-bit
/// values (types 5 and 1) and length-delimited fields (type 2: strings, bytes, packed arrays, nested messages).
/// A nested message is written by a callback into its own writer and copied in with its length.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();

    public long Length => _buffer.Length;

    public byte[] ToArray() => _buffer.ToArray();

    public void Varint(int field, long value)
    {
        Tag(field, 0);
        RawVarint(unchecked((ulong)value));
    }

    public void Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        _buffer.Write(b);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        RawVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void Message(int field, Action<ProtoWriter> write)
    {
        var inner = new ProtoWriter();
        write(inner);
        Tag(field, 2);
        RawVarint((ulong)inner._buffer.Length);
        inner._buffer.Position = 0;
        inner._buffer.CopyTo(_buffer);
    }

    /// <summary>A packed repeated int64 field.</summary>
    public void PackedVarints(int field, IReadOnlyList<long> values)
    {
        var inner = new ProtoWriter();
        foreach (var v in values) inner.RawVarint(unchecked((ulong)v));
        Bytes(field, inner._buffer.ToArray());
    }

    /// <summary>A packed repeated float field.</summary>
    public void PackedFloats(int field, IReadOnlyList<float> values)
    {
        var bytes = new byte[values.Count * 4];
        for (var i = 0; i < values.Count; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        Bytes(field, bytes);
    }

    private void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    private void RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
