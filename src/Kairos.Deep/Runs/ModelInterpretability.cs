namespace Kairos.Deep.Runs;

/// <summary>
/// What a model with variable selection and attention (the TFT) attends to, averaged over a split's samples with the
/// final weights: the mean selection weight of every sequence variable (over samples and bars) and of every static
/// variable, each set summing to 1, and the mean attention of the decision bar over the window's lags (lag 0 is the
/// decision bar itself, lag k the bar k bars before it), summing to 1.
/// </summary>
public sealed record ModelInterpretability
{
    /// <summary>The split the weights were averaged over (the validation split, else the training split).</summary>
    public required string Split { get; init; }
    /// <summary>Samples averaged over.</summary>
    public required long Rows { get; init; }
    /// <summary>Sequence variables in input order with their mean selection weight.</summary>
    public required IReadOnlyList<VariableWeight> SequenceVariables { get; init; }
    /// <summary>Static variables (snapshot features, categorical and continuous context, tree signals) in input order.</summary>
    public required IReadOnlyList<VariableWeight> StaticVariables { get; init; }
    /// <summary>Mean attention by lag, lag 0 (the decision bar) first.</summary>
    public required IReadOnlyList<double> AttentionByLag { get; init; }
}

/// <summary>A variable and its mean selection weight.</summary>
public sealed record VariableWeight(string Name, double Weight);
