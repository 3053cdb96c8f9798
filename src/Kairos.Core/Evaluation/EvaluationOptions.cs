using System.Text.Json.Serialization;
using Kairos.Errors;
using Kairos.Settings;

namespace Kairos.Evaluation;

/// <summary>Settings of <c>kairos eval</c>; defaults are what the metrics documentation (docs/metrics.md) describes.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The settings of this record a user sets (<c>kairos eval</c> flags, the run config's <c>evaluation:</c> keys), defined once.</summary>
    public static class Settings
    {
        public static readonly DoubleSetting Threshold = new("threshold", 0.5, 0, 1, "Decision threshold for accuracy, precision, recall and F1 (predict 1 when p >= threshold).");
        public static readonly IntSetting Bins = new("bins", 10, 1, 1000, "Equal-width bins on [0, 1] for ECE and the reliability curve.");
        public static readonly IntSetting Bootstrap = new("bootstrap", 1000, 0, 1_000_000, "Bootstrap resamples for the PR-AUC, Brier and ECE intervals (0 = none).");
        public static readonly DoubleSetting ConfidenceLevel = new("confidence_level", 0.95, 0, 1, "Coverage of the percentile intervals.", MinExclusive: true, MaxExclusive: true);
    }

    /// <summary>Decision threshold for accuracy, precision, recall and F1: predict 1 when <c>p &gt;= Threshold</c> (<see cref="Settings.Threshold"/>).</summary>
    public double Threshold { get; init; } = Settings.Threshold.Default;

    /// <summary>Equal-width bins on [0, 1] for ECE and the reliability curve (<see cref="Settings.Bins"/>).</summary>
    public int CalibrationBins { get; init; } = Settings.Bins.Default;

    /// <summary>Bootstrap resamples for the PR-AUC, Brier and ECE intervals; 0 disables them (<see cref="Settings.Bootstrap"/>).</summary>
    public int BootstrapResamples { get; init; } = Settings.Bootstrap.Default;

    /// <summary>Seed of the bootstrap: the same seed gives the same intervals on any number of threads. Default 17.</summary>
    public ulong BootstrapSeed { get; init; } = 17;

    /// <summary>Coverage of the percentile intervals (<see cref="Settings.ConfidenceLevel"/>).</summary>
    public double ConfidenceLevel { get; init; } = Settings.ConfidenceLevel.Default;

    /// <summary>Degree of parallelism of the bootstrap (results do not depend on it, so reports leave it out). Default: processor count.</summary>
    [JsonIgnore]
    public int MaxThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Event metrics settings (used when the predictions carry timestamps).</summary>
    public EventOptions Events { get; init; } = new();

    /// <summary>Calibration drift analysis over time windows and buckets; null (the default) skips it.</summary>
    public DriftOptions? Drift { get; init; }

    /// <summary>Reports every invalid setting together.</summary>
    public EvaluationOptions Validate(string source = "evaluation options")
    {
        var problems = new List<string>();
        problems.AddRange(new[]
        {
            Settings.Threshold.Problem(Threshold), Settings.Bins.Problem(CalibrationBins),
            Settings.Bootstrap.Problem(BootstrapResamples), Settings.ConfidenceLevel.Problem(ConfidenceLevel),
        }.OfType<string>());
        if (MaxThreads < 1) problems.Add($"max_threads must be at least 1, got {MaxThreads}.");
        problems.AddRange(Events.Problems());
        if (Drift is not null) problems.AddRange(Drift.Problems());
        if (problems.Count > 0)
            throw new ConfigException(source, problems);
        return this;
    }
}
