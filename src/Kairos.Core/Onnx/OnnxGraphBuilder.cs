using System.Globalization;

namespace Kairos.Onnx;

/// <summary>
/// Builds one ONNX model (<c>ModelProto</c> with one <c>GraphProto</c>) in memory: typed inputs and outputs, constant
/// initializers and nodes in topological order (each node is added after the values it reads exist), written as the
/// protocol buffers bytes of onnx.proto (IR version 8, opset 17 of the default domain and opset 3 of <c>ai.onnx.ml</c>,
/// what onnx 1.12 and every later ONNX Runtime read). Names of intermediate values are generated and unique.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const long IrVersion = 8;
    public const long Opset = 17;
    public const long MlOpset = 3;
    public const string MlDomain = "ai.onnx.ml";

    private readonly string _name;
    private readonly List<(string Name, OnnxElementType Type, OnnxDimension[] Shape, string? Doc)> _inputs = [];
    private readonly List<(string Name, OnnxElementType Type, OnnxDimension[] Shape, string? Doc)> _outputs = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<(string Op, string Domain, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes)> _nodes = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxGraphBuilder(string name) => _name = name;

    /// <summary>Declares a graph input.</summary>
    public string Input(string name, OnnxElementType type, OnnxDimension[] shape, string? doc = null)
    {
        Claim(name);
        _inputs.Add((name, type, shape, doc));
        return name;
    }

    /// <summary>Declares a graph output: <paramref name="value"/> is renamed to <paramref name="name"/> through an Identity node.</summary>
    public void Output(string name, string value, OnnxElementType type, OnnxDimension[] shape, string? doc = null)
    {
        Claim(name);
        _nodes.Add(("Identity", "", [value], [name], []));
        _outputs.Add((name, type, shape, doc));
    }

    /// <summary>Adds a constant; returns its name.</summary>
    public string Constant(OnnxTensor tensor)
    {
        Claim(tensor.Name);
        _initializers.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A constant named after <paramref name="hint"/> (made unique); returns its name.</summary>
    public string Constant(string hint, Func<string, OnnxTensor> tensor)
    {
        var t = tensor(Fresh(hint));
        _initializers.Add(t);
        return t.Name;
    }

    /// <summary>A float scalar (shape [], broadcasts against anything).</summary>
    public string Scalar(string hint, float value) => Constant(hint, n => OnnxTensor.Floats(n, [value]));
    public string ScalarDouble(string hint, double value) => Constant(hint, n => OnnxTensor.Doubles(n, [value]));
    public string ScalarInt64(string hint, long value) => Constant(hint, n => OnnxTensor.Int64s(n, [value]));
    /// <summary>A one-dimensional int64 constant (axes, shapes, indices).</summary>
    public string Int64s(string hint, params long[] values) => Constant(hint, n => OnnxTensor.Int64s(n, values, values.Length));

    /// <summary>A node of the default domain with one output; returns the output's name.</summary>
    public string Node(string op, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        Node(op, "", inputs, 1, attributes)[0];

    /// <summary>A node of <paramref name="domain"/> with <paramref name="outputs"/> outputs; returns their names.</summary>
    public string[] Node(string op, string domain, IReadOnlyList<string> inputs, int outputs, params OnnxAttribute[] attributes)
    {
        foreach (var input in inputs)
            if (input.Length > 0 && !_names.Contains(input))
                throw new InvalidOperationException($"node {op} reads '{input}', which no earlier node, input or constant defines");
        var names = Enumerable.Range(0, outputs).Select(_ => Fresh(op.ToLowerInvariant())).ToArray();
        _nodes.Add((op, domain, inputs.ToArray(), names, attributes));
        return names;
    }

    /// <summary>A fresh, unused value name starting with <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        string name;
        do name = $"{hint}_{_counter++.ToString(CultureInfo.InvariantCulture)}";
        while (_names.Contains(name));
        _names.Add(name);
        return name;
    }

    /// <summary>The model's bytes, with <paramref name="metadata"/> as <c>metadata_props</c>.</summary>
    public byte[] ToModel(string producerVersion, string docString, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var w = new ProtoWriter();
        w.Varint(1, IrVersion);
        w.String(2, "kairos");
        w.String(3, producerVersion);
        w.String(4, "ai.kairos");
        w.Varint(5, 1);
        w.String(6, docString);
        w.Message(7, WriteGraph);
        w.Message(8, o => { o.String(1, ""); o.Varint(2, Opset); });
        if (_nodes.Any(n => n.Domain == MlDomain))
            w.Message(8, o => { o.String(1, MlDomain); o.Varint(2, MlOpset); });
        foreach (var (key, value) in metadata)
            w.Message(14, e => { e.String(1, key); e.String(2, value); });
        return w.ToArray();
    }

    private void WriteGraph(ProtoWriter g)
    {
        var index = 0;
        foreach (var (op, domain, inputs, outputs, attributes) in _nodes)
        {
            var name = $"{op}_{index++.ToString(CultureInfo.InvariantCulture)}";
            g.Message(1, n =>
            {
                foreach (var i in inputs) n.String(1, i);
                foreach (var o in outputs) n.String(2, o);
                n.String(3, name);
                n.String(4, op);
                foreach (var a in attributes) n.Message(5, a.Write);
                if (domain.Length > 0) n.String(7, domain);
            });
        }
        g.String(2, _name);
        foreach (var t in _initializers) g.Message(5, t.Write);
        foreach (var v in _inputs) g.Message(11, w => WriteValueInfo(w, v));
        foreach (var v in _outputs) g.Message(12, w => WriteValueInfo(w, v));
    }

    private static void WriteValueInfo(ProtoWriter w, (string Name, OnnxElementType Type, OnnxDimension[] Shape, string? Doc) v)
    {
        w.String(1, v.Name);
        w.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Varint(1, (int)v.Type);
            tensor.Message(2, shape =>
            {
                foreach (var d in v.Shape)
                    shape.Message(1, dim =>
                    {
                        if (d.Symbol is { } s) dim.String(2, s);
                        else dim.Varint(1, d.Size);
                    });
            });
        }));
        if (v.Doc is { } doc) w.String(3, doc);
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"the graph already has a value named '{name}'");
    }
}
