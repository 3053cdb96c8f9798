using System.Text.Json;
using Kairos.Errors;
using Kairos.Trees;

namespace Kairos.Search;

/// <summary>
/// What a walk-forward fold work item (objective kind <c>gbdt-fold</c>) trains: one pooled LightGBM
/// direction model per fold (session as a categorical feature) on <c>fold_k_train</c>, early-stopped
/// on the latest <see cref="StopFraction"/> of that training split (rows whose labels reach into it are
/// purged), evaluated on <c>fold_k_val</c>, which it never sees before.
/// </summary>
public sealed record WalkForwardSpec
{
    public string Dataset { get; init; } = "";

    /// <summary>Latest fraction of each fold's training rows (by time) used for early stopping. Default 0.2.</summary>
    public double StopFraction { get; init; } = 0.2;

    public GbdtParameters Parameters { get; init; } = new();

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>(Parameters.Validate());
        if (string.IsNullOrWhiteSpace(Dataset)) problems.Add("dataset: no dataset directory");
        if (!(StopFraction is >= 0.05 and <= 0.5)) problems.Add($"stop_fraction must be in [0.05, 0.5] (got {StopFraction})");
        return problems;
    }

    public string ToJson() => JsonSerializer.Serialize(this, StudyOptions.Json);

    public static WalkForwardSpec FromJson(string json)
    {
        var spec = JsonSerializer.Deserialize<WalkForwardSpec>(json, StudyOptions.Json) ?? new WalkForwardSpec();
        var problems = spec.Problems();
        if (problems.Count > 0) throw new ConfigException("walk-forward spec", problems);
        return spec;
    }
}
