using System.Diagnostics;
using System.Text.Json;

namespace Kairos.Tests.Snapshots;

/// <summary>Runs the built <c>kairos.dll</c> as a separate process, as a user would, and captures exit code and output.</summary>
internal static class SnapshotCliRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Standard output parsed as one JSON document (commands run with <c>--json</c>).</summary>
        public JsonElement Json()
        {
            try
            {
                return JsonDocument.Parse(StandardOutput).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"stdout is not JSON (exit {ExitCode}):\n{StandardOutput}\nstderr:\n{StandardError}", e);
            }
        }

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
    }

    public static Result Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kairos.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
