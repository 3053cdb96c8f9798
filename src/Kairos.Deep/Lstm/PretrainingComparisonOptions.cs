namespace Kairos.Deep.Lstm;

/// <summary>
/// "Does pretraining help?": for every seed, pretrain an encoder, fine-tune the classifier from it (frozen, then
/// unfrozen) and train the same classifier from random weights for the same number of epochs; compare the
/// validation PR-AUC and Brier of the two.
/// </summary>
public sealed record PretrainingComparisonOptions
{
    /// <summary>Seeds; every arm of a seed uses it. Default 1, 2, 3.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [1, 2, 3];
    /// <summary>Pretraining settings (its seed is replaced by each seed).</summary>
    public PretrainOptions Pretrain { get; init; } = new();
    /// <summary>Classifier settings of the pretrained arm (its seed is replaced by each seed; FreezeEncoder as given).</summary>
    public LstmTrainerOptions Classifier { get; init; } = new() { FreezeEncoder = true };

    /// <summary>The baseline arm: the same classifier, same epochs, from random weights (nothing to freeze).</summary>
    public LstmTrainerOptions Baseline => Classifier with { FreezeEncoder = false, Encoder = Pretrain.Encoder };

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (Seeds.Count == 0) p.Add("--seeds must list at least one seed");
        if (Seeds.Distinct().Count() != Seeds.Count) p.Add("--seeds must be distinct");
        p.AddRange(Pretrain.Problems());
        p.AddRange(Classifier.Problems(hasEncoder: true));
        return p.Distinct().ToList();
    }
}
