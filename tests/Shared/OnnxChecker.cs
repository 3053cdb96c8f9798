namespace Kairos.Tests;

/// <summary>
/// The ONNX project's own model checker (<c>onnx.checker.check_model(model, full_check=True)</c>: the protobuf, the graph,
/// every node against its operator schema, then shape inference) from Debian's <c>python3-onnx</c>, installed when
/// missing by <see cref="DebianPython"/>.
/// </summary>
public static class OnnxChecker
{
    private const string Python = DebianPython.Python;
    private static readonly Lazy<string> Version = new(EnsureInstalled, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The installed onnx package's version.</summary>
    public static string OnnxVersion => Version.Value;

    /// <summary>Checks <paramref name="file"/>; returns the checker's output (the model's IR version and opsets), or throws with its error.</summary>
    public static string Check(string file)
    {
        _ = Version.Value;
        var (code, output) = Run(Python, "-c",
            "import sys, onnx\n" +
            "m = onnx.load(sys.argv[1])\n" +
            "onnx.checker.check_model(m, full_check=True)\n" +
            "print('ir', m.ir_version, 'opsets', sorted((o.domain, o.version) for o in m.opset_import), 'nodes', len(m.graph.node))\n",
            file);
        if (code != 0) throw new InvalidOperationException($"onnx.checker rejected {file}:\n{output}");
        return output.Trim();
    }

    private static string EnsureInstalled() => DebianPython.Require("import onnx; print(onnx.__version__)", "python3-onnx");

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var (code, output, _) = DebianPython.Run(file, args, TimeSpan.FromMinutes(5));
        return (code, output);
    }
}
