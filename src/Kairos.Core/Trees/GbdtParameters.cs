using Kairos.Settings;
using System.Globalization;
using System.Text;

namespace Kairos.Trees;

/// <summary>
/// Hyperparameters of one LightGBM binary model and of its early stopping. The defaults mirror the
/// reference XGBoost configuration (depth 6, learning rate 0.05, row and column subsampling 0.8) so
/// the two are comparable; the search (<see cref="GbdtSearchSpace"/>) varies the tree shape and regularisation.
/// </summary>
public sealed record GbdtParameters
{
    /// <summary>Maximum leaves per tree (LightGBM grows trees leaf-wise). Default 31.</summary>
    public int NumLeaves { get; init; } = 31;

    /// <summary>Maximum tree depth; -1 for no limit. Default 6.</summary>
    public int MaxDepth { get; init; } = 6;

    /// <summary>Shrinkage per boosting iteration. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Minimum rows in a leaf. Default 50 (market labels are noisy).</summary>
    public int MinDataInLeaf { get; init; } = 50;

    /// <summary>Fraction of features sampled per tree. Default 0.8.</summary>
    public double FeatureFraction { get; init; } = 0.8;

    /// <summary>Fraction of rows sampled per iteration (bagging every iteration). Default 0.8.</summary>
    public double BaggingFraction { get; init; } = 0.8;

    /// <summary>L1 penalty on leaf values. Default 0.</summary>
    public double LambdaL1 { get; init; }

    /// <summary>L2 penalty on leaf values. Default 1.</summary>
    public double LambdaL2 { get; init; } = 1.0;

    /// <summary>Minimum loss reduction to make a split. Default 0.</summary>
    public double MinGainToSplit { get; init; }

    /// <summary>Histogram bins per feature. Default 255.</summary>
    public int MaxBin { get; init; } = 255;

    /// <summary>The parameters a user sets directly (the run config's <c>trees:</c> keys, <c>--seed</c>), defined once; the rest come from a search.</summary>
    public static class Settings
    {
        public static readonly IntSetting MaxIterations = new("max_iterations", 1000, 1, 100_000, "Upper bound on boosting iterations (early stopping usually ends sooner).");
        public static readonly IntSetting Seed = new("seed", 42, 0, int.MaxValue, "LightGBM seed (bagging, feature sampling, internal generators).");
    }

    /// <summary>Upper bound on boosting iterations (<see cref="Settings.MaxIterations"/>).</summary>
    public int MaxIterations { get; init; } = Settings.MaxIterations.Default;

    /// <summary>Stop when validation log loss has not improved for this many iterations. Default 50.</summary>
    public int EarlyStoppingRounds { get; init; } = 50;

    /// <summary>Seed for bagging, feature sampling and LightGBM's internal generators (<see cref="Settings.Seed"/>).</summary>
    public int Seed { get; init; } = Settings.Seed.Default;

    /// <summary>LightGBM (OpenMP) threads. Default 2.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (NumLeaves is < 2 or > 131072) problems.Add($"num_leaves must be in [2, 131072], got {NumLeaves}");
        if (MaxDepth == 0 || MaxDepth < -1) problems.Add($"max_depth must be -1 (no limit) or positive, got {MaxDepth}");
        if (!(LearningRate > 0 && LearningRate <= 1)) problems.Add($"learning_rate must be in (0, 1], got {LearningRate}");
        if (MinDataInLeaf < 1) problems.Add($"min_data_in_leaf must be >= 1, got {MinDataInLeaf}");
        if (!(FeatureFraction > 0 && FeatureFraction <= 1)) problems.Add($"feature_fraction must be in (0, 1], got {FeatureFraction}");
        if (!(BaggingFraction > 0 && BaggingFraction <= 1)) problems.Add($"bagging_fraction must be in (0, 1], got {BaggingFraction}");
        if (!(LambdaL1 >= 0)) problems.Add($"lambda_l1 must be >= 0, got {LambdaL1}");
        if (!(LambdaL2 >= 0)) problems.Add($"lambda_l2 must be >= 0, got {LambdaL2}");
        if (!(MinGainToSplit >= 0)) problems.Add($"min_gain_to_split must be >= 0, got {MinGainToSplit}");
        if (MaxBin is < 2 or > 65535) problems.Add($"max_bin must be in [2, 65535], got {MaxBin}");
        if (Settings.MaxIterations.Problem(MaxIterations) is { } iterations) problems.Add(iterations);
        if (Settings.Seed.Problem(Seed) is { } seed) problems.Add(seed);
        if (EarlyStoppingRounds < 1) problems.Add($"early_stopping_rounds must be >= 1, got {EarlyStoppingRounds}");
        if (Threads < 1) problems.Add($"threads must be >= 1, got {Threads}");
        return problems;
    }

    /// <summary>
    /// The LightGBM parameter string: binary objective, log-loss metric, deterministic row-wise histograms,
    /// seeded, quiet. <paramref name="categoricalColumns"/> are zero-based column indexes of integer
    /// categorical features.
    /// </summary>
    public string ToLightGbmString(IReadOnlyList<int> categoricalColumns)
    {
        var s = new StringBuilder();
        void Add(string key, object value) => s.Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append(' ');
        Add("objective", "binary");
        Add("metric", "binary_logloss");
        Add("boosting", "gbdt");
        Add("num_leaves", NumLeaves);
        Add("max_depth", MaxDepth);
        Add("learning_rate", LearningRate.ToString("R", CultureInfo.InvariantCulture));
        Add("min_data_in_leaf", MinDataInLeaf);
        Add("feature_fraction", FeatureFraction.ToString("R", CultureInfo.InvariantCulture));
        Add("bagging_fraction", BaggingFraction.ToString("R", CultureInfo.InvariantCulture));
        Add("bagging_freq", BaggingFraction < 1 ? 1 : 0);
        Add("lambda_l1", LambdaL1.ToString("R", CultureInfo.InvariantCulture));
        Add("lambda_l2", LambdaL2.ToString("R", CultureInfo.InvariantCulture));
        Add("min_gain_to_split", MinGainToSplit.ToString("R", CultureInfo.InvariantCulture));
        Add("max_bin", MaxBin);
        Add("seed", Seed);
        Add("deterministic", "true");
        Add("force_row_wise", "true");
        Add("feature_pre_filter", "false");
        Add("num_threads", Threads);
        Add("verbosity", -1);
        if (categoricalColumns.Count > 0)
            Add("categorical_feature", string.Join(',', categoricalColumns.Select(c => c.ToString(CultureInfo.InvariantCulture))));
        return s.ToString().TrimEnd();
    }
}
