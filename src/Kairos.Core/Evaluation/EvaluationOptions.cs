using System.Text.Json.Serialization;
using Kairos.Errors;

namespace Kairos.Evaluation;

/// <summary>Settings of <c>kairos eval</c>; defaults are what the metrics documentation (docs/metrics.md) describes.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Decision threshold for accuracy, precision, recall and F1: predict 1 when <c>p &gt;= Threshold</c>. Default 0.5.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Equal-width bins on [0, 1] for ECE and the reliability curve. Default 10.</summary>
    public int CalibrationBins { get; init; } = 10;

    /// <summary>Bootstrap resamples for the PR-AUC, Brier and ECE intervals; 0 disables them. Default 1000.</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>Seed of the bootstrap: the same seed gives the same intervals on any number of threads. Default 17.</summary>
    public ulong BootstrapSeed { get; init; } = 17;

    /// <summary>Coverage of the percentile intervals. Default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

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
        if (!(Threshold is >= 0 and <= 1)) problems.Add($"threshold must be in [0, 1], got {Threshold}.");
        if (CalibrationBins is < 1 or > 10_000) problems.Add($"calibration_bins must be in [1, 10000], got {CalibrationBins}.");
        if (BootstrapResamples is < 0 or > 1_000_000) problems.Add($"bootstrap_resamples must be in [0, 1000000], got {BootstrapResamples}.");
        if (!(ConfidenceLevel is > 0 and < 1)) problems.Add($"confidence_level must be in (0, 1), got {ConfidenceLevel}.");
        if (MaxThreads < 1) problems.Add($"max_threads must be at least 1, got {MaxThreads}.");
        problems.AddRange(Events.Problems());
        if (Drift is not null) problems.AddRange(Drift.Problems());
        if (problems.Count > 0)
            throw new ConfigException(source, problems);
        return this;
    }
}
