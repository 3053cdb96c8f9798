using Kairos.Datasets;

namespace Kairos.Pipeline;

/// <summary>
/// A finished walk-forward window (<c>OUT/walkforward/&lt;id&gt;/windows/&lt;window&gt;/window.json</c>, beside its
/// <c>predictions.csv</c>): the window, the artifacts it trained (dataset, trees, hybrid run, all content-addressed under
/// OUT) and how many test rows it scored.
/// </summary>
public sealed record WalkForwardWindowResult
{
    public const string FileName = "window.json";
    public const string PredictionsFile = "predictions.csv";

    public required WalkForwardWindow Window { get; init; }
    public required string DatasetId { get; init; }
    public required string Dataset { get; init; }
    public required string Trees { get; init; }
    public required string Hybrid { get; init; }
    public required long TrainRows { get; init; }
    public required long ValidationRows { get; init; }
    public required long TestRows { get; init; }

    /// <summary>Log loss of the hybrid direction head on the test rows (the work item's value); null without test rows.</summary>
    public double? TestLogLoss { get; init; }

    /// <summary>The window's directory (not stored: where it was read from).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Directory { get; init; } = "";

    [System.Text.Json.Serialization.JsonIgnore]
    public string Predictions => Path.Combine(Directory, PredictionsFile);
}
