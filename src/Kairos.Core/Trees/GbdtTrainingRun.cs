namespace Kairos.Trees;

/// <summary>
/// One LightGBM model being trained, one boosting iteration per <see cref="Step"/>, with early stopping
/// on the validation log loss. Several runs can be advanced in lockstep (one per session) so that a
/// search sees one combined learning curve and can prune it. The datasets are borrowed, not owned.
/// </summary>
public sealed class GbdtTrainingRun : IDisposable
{
    private readonly LightGbmBooster _booster;
    private readonly GbdtParameters _parameters;
    private readonly IReadOnlyList<string> _featureNames;
    private readonly List<double> _curve = [];
    private readonly IReadOnlyList<byte> _validationLabels;

    public GbdtTrainingRun(LightGbmDataset train, LightGbmDataset validation, GbdtParameters parameters, IReadOnlyList<int> categoricalColumns)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _featureNames = train.FeatureNames;
        _booster = LightGbmBooster.Create(train, parameters.ToLightGbmString(categoricalColumns));
        _booster.AddValidation(validation);
        _validationLabels = validation.Labels;
    }

    /// <summary>Iterations run so far.</summary>
    public int Iteration => _curve.Count;

    /// <summary>Best validation log loss so far (+infinity before the first iteration).</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>Iteration (1-based) with the best validation log loss so far; 0 before the first.</summary>
    public int BestIteration { get; private set; }

    /// <summary>True once early stopping, the iteration cap or LightGBM itself ended training.</summary>
    public bool IsStopped { get; private set; }

    /// <summary>Validation log loss after each iteration.</summary>
    public IReadOnlyList<double> Curve => _curve;

    /// <summary>Runs one boosting iteration and checks early stopping. Returns false once stopped.</summary>
    public bool Step()
    {
        if (IsStopped) return false;
        if (!_booster.UpdateOneIteration())
        {
            // No split was possible. On the first iteration LightGBM still keeps one constant tree (the prior
            // log-odds): that is a valid model, the one a search compares and the stage keeps.
            if (_curve.Count == 0 && _booster.CurrentIteration == 1)
            {
                BestLoss = ValidationLoss();
                BestIteration = 1;
                _curve.Add(BestLoss);
            }
            IsStopped = true;
            return false;
        }
        var loss = ValidationLoss();
        _curve.Add(loss);
        if (loss < BestLoss)
        {
            BestLoss = loss;
            BestIteration = _curve.Count;
        }
        if (_curve.Count - BestIteration >= _parameters.EarlyStoppingRounds || _curve.Count >= _parameters.MaxIterations)
            IsStopped = true;
        return !IsStopped;
    }

    /// <summary>
    /// LightGBM's binary log loss of the validation rows (probabilities clamped at 1e-15), summed here in row order:
    /// LightGBM's own metric sums in parallel over its process-wide thread count, so its last digits depend on what
    /// else the process trains at the time, and a study's values and early stopping must not.
    /// </summary>
    private double ValidationLoss()
    {
        const double epsilon = 1e-15f; // LightGBM's kEpsilon, a float literal
        var p = _booster.ProbabilitiesAt(1);
        var sum = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            var q = _validationLabels[i] == 1 ? p[i] : 1.0 - p[i];
            sum += q > epsilon ? -Math.Log(q) : -Math.Log(epsilon);
        }
        return sum / p.Length;
    }

    /// <summary>Probabilities of <paramref name="features"/> from the first <see cref="BestIteration"/> iterations (the model <see cref="ToModel"/> keeps).</summary>
    public double[] PredictProbability(IFeatureRows features, int threads)
    {
        if (BestIteration == 0) throw new InvalidOperationException("No boosting iteration has run yet.");
        return _booster.PredictProbability(features, BestIteration, threads);
    }

    /// <summary>Steps until stopped.</summary>
    public void RunToEnd()
    {
        while (Step()) { }
    }

    /// <summary>The model truncated at the best iteration.</summary>
    public GbdtModel ToModel()
    {
        if (BestIteration == 0)
            throw new InvalidOperationException("No boosting iteration produced a tree: the training data cannot be split (constant features or a single class).");
        return new GbdtModel(_booster.SaveToString(BestIteration), _featureNames, BestIteration, BestLoss, _curve.ToArray());
    }

    public void Dispose() => _booster.Dispose();
}
