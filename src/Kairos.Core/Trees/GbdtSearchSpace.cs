using Kairos.Search;

namespace Kairos.Trees;

/// <summary>
/// The hyperparameters the search varies and their ranges (tree shape, learning rate, sampling,
/// regularisation), on top of a basis <see cref="GbdtParameters"/> that fixes everything else (bins, seed,
/// threads, iteration cap, early stopping). The same definition replays a stored trial's parameters.
/// </summary>
public static class GbdtSearchSpace
{
    public static GbdtParameters Suggest(ITrial trial, GbdtParameters basis) => basis with
    {
        NumLeaves = (int)trial.SuggestInt("num_leaves", 4, 128, log: true),
        MaxDepth = (int)trial.SuggestInt("max_depth", 2, 10),
        LearningRate = trial.SuggestFloat("learning_rate", 0.005, 0.3, log: true),
        FeatureFraction = trial.SuggestFloat("feature_fraction", 0.3, 1.0),
        BaggingFraction = trial.SuggestFloat("bagging_fraction", 0.5, 1.0),
        MinDataInLeaf = (int)trial.SuggestInt("min_data_in_leaf", 5, 500, log: true),
        LambdaL2 = trial.SuggestFloat("lambda_l2", 1e-3, 100, log: true),
    };

    /// <summary>The parameters a finished trial ran with.</summary>
    public static GbdtParameters FromTrial(FrozenTrial trial, GbdtParameters basis) => Suggest(new StoredTrial(trial), basis);

    private sealed class StoredTrial(FrozenTrial trial) : ITrial
    {
        public int Number => trial.Number;
        public double SuggestFloat(string name, double low, double high, bool log = false) => Convert.ToDouble(trial.UserValue(name), System.Globalization.CultureInfo.InvariantCulture);
        public long SuggestInt(string name, long low, long high, bool log = false) => Convert.ToInt64(trial.UserValue(name), System.Globalization.CultureInfo.InvariantCulture);
        public string SuggestCategorical(string name, IReadOnlyList<string> choices) => (string)trial.UserValue(name);
        public void Report(long step, double value) => throw new InvalidOperationException("A stored trial is read-only.");
        public bool ShouldPrune() => false;
        public void SetAttribute(string key, string value) => throw new InvalidOperationException("A stored trial is read-only.");
        public void SetPerformance(IReadOnlyList<PerformanceBlock> blocks) => throw new InvalidOperationException("A stored trial is read-only.");
    }
}
