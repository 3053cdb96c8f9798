namespace Kairos.Search;

/// <summary>One trial as stored: parameters (internal values), value, intermediate values, state and timings.</summary>
public sealed record FrozenTrial
{
    public required long TrialId { get; init; }
    public required int Number { get; init; }
    public required TrialState State { get; init; }
    /// <summary>Objective value (complete trials), or the last intermediate value (pruned trials).</summary>
    public double? Value { get; init; }
    public required IReadOnlyDictionary<string, double> Params { get; init; }
    public required IReadOnlyDictionary<string, ParamDistribution> Distributions { get; init; }
    public required IReadOnlyDictionary<long, double> IntermediateValues { get; init; }
    /// <summary>User attributes (Optuna's <c>user_attrs</c>): a string value as its text, any other JSON value as its JSON.</summary>
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }
    /// <summary>
    /// Optuna's <c>system_attrs</c> as raw JSON: successive-halving rungs (<c>completed_rung_N</c>), <c>fail_reason</c>,
    /// and whatever Optuna workers store.
    /// </summary>
    public IReadOnlyDictionary<string, string> SystemAttributes { get; init; } = new Dictionary<string, string>();
    /// <summary>How many times the trial was handed to a worker (1 unless it was retried).</summary>
    public int Attempt { get; init; }
    /// <summary>Attempts lost to dead or interrupted workers.</summary>
    public int LostAttempts { get; init; }
    public string? WorkerId { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public double? DurationSeconds { get; init; }
    public string? FailReason { get; init; }
    /// <summary>Numbers of the finished trials the sampler saw when it drew this trial's parameters.</summary>
    public IReadOnlyList<int>? History { get; init; }
    /// <summary>Out-of-sample performance per time block (complete trials whose objective measured it), or null.</summary>
    public IReadOnlyList<PerformanceBlock>? Blocks { get; init; }

    /// <summary>A parameter in user form: double, long or string.</summary>
    public object UserValue(string name) => Distributions[name] switch
    {
        FloatDistribution => Params[name],
        IntDistribution => (long)Params[name],
        CategoricalDistribution c => c.Choices[(int)Params[name]],
        _ => throw new InvalidOperationException("unknown distribution for " + name),
    };

    /// <summary>The last reported step and its value, if any.</summary>
    public (long Step, double Value)? LastIntermediate =>
        IntermediateValues.Count == 0 ? null : IntermediateValues.MaxBy(kv => kv.Key) is var kv ? (kv.Key, kv.Value) : null;
}
