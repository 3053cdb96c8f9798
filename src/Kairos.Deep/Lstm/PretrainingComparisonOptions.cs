namespace Kairos.Deep.Lstm;

/// <summary>
/// "Does pretraining help, and which?": for every seed, the same classifier trained from random weights (<c>none</c>),
/// fine-tuned from a masked-autoencoder encoder (<c>masked</c>) and from a TS2Vec encoder (<c>ts2vec</c>), each encoder
/// pretrained afresh with that seed; compared on the whole validation and test splits.
/// </summary>
public sealed record PretrainingComparisonOptions
{
    /// <summary>Seeds; every arm of a seed uses it. Default 1, 2, 3.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [1, 2, 3];
    /// <summary>Pretraining settings of both methods (the method and the seed are set per arm).</summary>
    public PretrainOptions Pretrain { get; init; } = new();
    /// <summary>Classifier settings of the pretrained arms (its seed is replaced by each seed; FreezeEncoder as given).</summary>
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
