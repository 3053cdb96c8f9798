using System.Diagnostics;

namespace Kairos.Tests;

/// <summary>
/// The ONNX project's own model checker (<c>onnx.checker.check_model(model, full_check=True)</c>: the protobuf, the graph,
/// every node against its operator schema, then shape inference) from Debian's <c>python3-onnx</c>. When the module is
/// missing it installs the package (<c>apt-get install -y python3-onnx</c>, as root) and fails loudly when it cannot.
/// </summary>
public static class OnnxChecker
{
    private const string Python = "/usr/bin/python3";
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

    private static string EnsureInstalled()
    {
        var (code, output) = Run(Python, "-c", "import onnx; print(onnx.__version__)");
        if (code == 0) return output.Trim();
        if (Environment.UserName != "root")
            throw new InvalidOperationException($"python3 has no onnx module and only root can install it: run 'apt-get install -y python3-onnx' ({output.Trim()})");
        var log = new List<string>();
        foreach (var args in new[] { new[] { "install", "-y", "python3-onnx" }, ["update"], ["install", "-y", "python3-onnx"] })
        {
            var (c, o) = Run("apt-get", args);
            log.Add($"apt-get {string.Join(' ', args)} -> {c}: {o.Trim()}");
            if (args[0] == "install" && c == 0)
            {
                (code, output) = Run(Python, "-c", "import onnx; print(onnx.__version__)");
                if (code == 0) return output.Trim();
            }
        }
        throw new InvalidOperationException("python3-onnx is missing and 'apt-get install -y python3-onnx' failed:\n" + string.Join("\n", log));
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
