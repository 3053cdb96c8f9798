namespace Kairos.Onnx;

/// <summary>
/// One attribute of an ONNX node (<c>AttributeProto</c>): exactly one of an int, a float, a string, a list of ints,
/// floats or strings, or a tensor, chosen by the factory used.
/// </summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, int type, object value)
    {
        Name = name;
        Type = type;
        Value = value;
    }

    public string Name { get; }

    /// <summary><c>AttributeProto.AttributeType</c>: 1 float, 2 int, 3 string, 4 tensor, 6 floats, 7 ints, 8 strings.</summary>
    internal int Type { get; }

    internal object Value { get; }

    public static OnnxAttribute Int(string name, long value) => new(name, 2, value);
    public static OnnxAttribute Float(string name, float value) => new(name, 1, value);
    public static OnnxAttribute String(string name, string value) => new(name, 3, value);
    public static OnnxAttribute Ints(string name, IReadOnlyList<long> values) => new(name, 7, values);
    public static OnnxAttribute Floats(string name, IReadOnlyList<float> values) => new(name, 6, values);
    public static OnnxAttribute Strings(string name, IReadOnlyList<string> values) => new(name, 8, values);
    public static OnnxAttribute Tensor(string name, OnnxTensor value) => new(name, 4, value);

    internal void Write(ProtoWriter w)
    {
        w.String(1, Name);
        switch (Value)
        {
            case float f: w.Float(2, f); break;
            case long i: w.Varint(3, i); break;
            case string s: w.String(4, s); break;
            case OnnxTensor t: w.Message(5, t.Write); break;
            case IReadOnlyList<float> fs: w.PackedFloats(7, fs); break;
            case IReadOnlyList<long> ints: w.PackedVarints(8, ints); break;
            case IReadOnlyList<string> ss:
                foreach (var s in ss) w.String(9, s);
                break;
            default: throw new InvalidOperationException($"attribute '{Name}' has an unsupported value");
        }
        w.Varint(20, Type);
    }
}
