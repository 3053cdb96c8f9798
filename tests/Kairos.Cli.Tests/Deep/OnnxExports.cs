using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Kairos.Tests.Deep;

/// <summary>A bundle exported to ONNX by the CLI once per test run, shared by every test that reads the export.</summary>
internal static class OnnxExports
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Exports = new(StringComparer.Ordinal);

    /// <summary>The directory <c>kairos bundle export BUNDLE --format onnx</c> wrote (exit 0, and the JSON names that directory).</summary>
    public static string Of(string bundleDirectory, string tempPrefix) =>
        Exports.GetOrAdd(bundleDirectory, _ => new Lazy<string>(() =>
        {
            var dir = Path.Combine(TestData.TempDirectory(tempPrefix), "export");
            var r = KairosCli.Run("bundle", "export", bundleDirectory, "--format", "onnx", "--out", dir, "--json");
            Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
            Assert.Equal(dir, (string)JsonNode.Parse(r.StandardOutput)!["directory"]!);
            return dir;
        })).Value;
}
