using System.Runtime.InteropServices;
using Kairos.Deep.Runtime;
using TorchSharp;

namespace Kairos.Deep.Runs;

/// <summary>The <c>env.json</c> of a run: runtime and package versions, machine, relevant environment variables.</summary>
public sealed record RunEnvironment
{
    private static readonly string[] Prefixes = ["OMP_", "MKL_", "KMP_", "DOTNET_", "KAIROS_", "CUDA_", "TORCH", "LD_LIBRARY_PATH", "LD_PRELOAD"];

    public required DateTimeOffset CapturedAt { get; init; }
    public required string Dotnet { get; init; }
    public required string Os { get; init; }
    public required string Architecture { get; init; }
    public required string MachineName { get; init; }
    public required int ProcessorCount { get; init; }
    public required long TotalMemoryBytes { get; init; }
    public required string KairosVersion { get; init; }
    public required string TorchSharpVersion { get; init; }
    public required string LibtorchVersion { get; init; }
    public required int TorchThreads { get; init; }
    public required bool CudaAvailable { get; init; }
    public string? LibStdCxx { get; init; }
    public required IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; }

    public static RunEnvironment Capture(TimeProvider time)
    {
        TorchRuntime.EnsureAvailable();
        var variables = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => (Key: (string)e.Key, Value: e.Value as string ?? ""))
            .Where(e => Prefixes.Any(p => e.Key.StartsWith(p, StringComparison.Ordinal)))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(e => e.Key, e => e.Value);
        return new RunEnvironment
        {
            CapturedAt = time.GetUtcNow(),
            Dotnet = RuntimeInformation.FrameworkDescription,
            Os = RuntimeInformation.OSDescription,
            Architecture = RuntimeInformation.OSArchitecture.ToString(),
            MachineName = Environment.MachineName,
            ProcessorCount = Environment.ProcessorCount,
            TotalMemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            KairosVersion = typeof(RunEnvironment).Assembly.GetName().Version?.ToString() ?? "unknown",
            TorchSharpVersion = typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            LibtorchVersion = torch.__version__,
            TorchThreads = torch.get_num_threads(),
            CudaAvailable = torch.cuda.is_available(),
            LibStdCxx = OperatingSystem.IsLinux() ? ElfVersions.FindLoaded("libstdc++.so.6") : null,
            EnvironmentVariables = variables,
        };
    }
}
