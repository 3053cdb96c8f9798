namespace Kairos.Evaluation;

/// <summary>One loss curve of a training run, e.g. <c>train_loss/direction</c>: epochs and values (finite only).</summary>
public sealed record LossSeries(string Name, IReadOnlyList<double> Epochs, IReadOnlyList<double> Values)
{
    /// <summary>Validation curves are drawn dashed.</summary>
    public bool IsValidation => Name.Contains("val", StringComparison.OrdinalIgnoreCase);
}
