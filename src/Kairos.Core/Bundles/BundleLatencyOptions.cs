using Kairos.Settings;

namespace Kairos.Bundles;

/// <summary>Settings of <see cref="BundleLatencyBenchmark"/>.</summary>
public sealed record BundleLatencyOptions
{
    /// <summary>The settings a user sets (<c>kairos bench latency</c> flags, the run config's <c>latency:</c> keys), defined once.</summary>
    public static class Settings
    {
        public static readonly IntSetting Samples = new("samples", 1000, 10, 1_000_000, "Measured bars (percentiles need at least 10).");
        public static readonly IntSetting WarmUp = new("warmup", 200, 0, 1_000_000, "Bars run before measuring (JIT, caches, native state).");
    }

    /// <summary>Measured bars (<see cref="Settings.Samples"/>).</summary>
    public int Samples { get; init; } = Settings.Samples.Default;

    /// <summary>Bars run before measuring (<see cref="Settings.WarmUp"/>).</summary>
    public int WarmUp { get; init; } = Settings.WarmUp.Default;

    /// <summary>p99 target of trees + calibration per bar, microseconds. Default 50.</summary>
    public double TreesTargetP99Us { get; init; } = 50;

    /// <summary>p99 target of the full path per bar, microseconds. Default 2000.</summary>
    public double FullPathTargetP99Us { get; init; } = 2000;

    /// <summary>Seed of the synthetic inputs, or of the order of the dataset rows. Default 1337.</summary>
    public int Seed { get; init; } = 1337;

    /// <summary>
    /// Dataset directory built under the bundle's feature contract whose <see cref="Split"/> rows are the inputs
    /// (real feature vectors). Null: synthetic draws from the contract's train statistics.
    /// </summary>
    public string? Dataset { get; init; }

    /// <summary>
    /// Idle time before each measured call, milliseconds: a live process sleeps until the next bar arrives, and the
    /// scheduler treats a thread that wakes for a short burst of work differently from one that never sleeps.
    /// 0 runs the calls back to back. Default 0.
    /// </summary>
    public int PauseMs { get; init; }

    /// <summary>Split of <see cref="Dataset"/> to read. Default <c>test</c>.</summary>
    public string Split { get; init; } = "test";

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        problems.AddRange(new[] { Settings.Samples.Problem(Samples), Settings.WarmUp.Problem(WarmUp) }.OfType<string>());
        if (PauseMs is < 0 or > 1000) problems.Add($"pause: {PauseMs} ms is outside 0..1000");
        if (TreesTargetP99Us <= 0) problems.Add($"trees target: {TreesTargetP99Us} must be positive");
        if (FullPathTargetP99Us <= 0) problems.Add($"full path target: {FullPathTargetP99Us} must be positive");
        if (Dataset is not null && !Directory.Exists(Dataset)) problems.Add($"dataset: {Dataset} does not exist");
        if (string.IsNullOrWhiteSpace(Split)) problems.Add("split: must not be empty");
        return problems;
    }
}
