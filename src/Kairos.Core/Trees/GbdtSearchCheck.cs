using System.Globalization;
using Kairos.Search;

namespace Kairos.Trees;

/// <summary>
/// What a trees search bought out of time, recorded in <c>gbdt.json</c> (<c>search_check</c>) beside the study's name:
/// the best trial's held-out ROC-AUC (what the search selected on) against its test ROC-AUC (the validation-to-test
/// drop), the median trial's and the no-search default parameters' test ROC-AUC measured the same way (one seed per
/// group, trained on the training split, early-stopped on validation's early-stopping part, raw probabilities), the
/// study's probability of backtest overfitting (CSCV of the trials' log-likelihood) and whether the stage fell back to
/// the default parameters because it exceeded <see cref="GbdtSearchOptions.MaxPbo"/>. docs/search.md.
/// </summary>
public sealed record GbdtSearchCheck
{
    public required GbdtSearchObjectiveKind Objective { get; init; }
    public required int BestTrial { get; init; }
    public double? BestHeldOutAuc { get; init; }
    public double? BestTestAuc { get; init; }

    /// <summary>Best trial's held-out ROC-AUC minus its test ROC-AUC (positive: worse out of time than selected on).</summary>
    public double? ValidationToTestDrop { get; init; }

    public int? MedianTrial { get; init; }
    public double? MedianTestAuc { get; init; }
    public double? DefaultTestAuc { get; init; }

    /// <summary>PBO of the study (CSCV on the trials' log-likelihood blocks); null when too few trials for CSCV.</summary>
    public double? Pbo { get; init; }
    public required double MaxPbo { get; init; }

    /// <summary>The stage trained with the default parameters instead of the best trial's.</summary>
    public required bool FellBackToDefaults { get; init; }

    /// <summary>One line saying what was trained and why.</summary>
    public required string Note { get; init; }

    /// <summary>
    /// Measures the check for <paramref name="search"/> on <paramref name="problem"/>'s test split (none: the test AUCs are
    /// null) and decides the fallback; <paramref name="defaults"/> are the parameters without search.
    /// </summary>
    public static GbdtSearchCheck Measure(GbdtProblem problem, GbdtStageOptions stage, GbdtParameters defaults, GbdtSearch.Outcome search, double maxPbo)
    {
        var c = CultureInfo.InvariantCulture;
        var pbo = search.Overfit?.LogLikelihood.Pbo;
        var fellBack = pbo is { } p && p > maxPbo;
        var test = problem.Others.FirstOrDefault(s => s.Name == "test");
        double? bestTest = null, medianTest = null, defaultTest = null;
        if (test is not null)
        {
            using var objective = new GbdtSearchObjective(problem, stage with { Parameters = defaults }, new GbdtOverfitOptions { Blocks = StudyOverfitting.MinBlocks }, GbdtSearchObjectiveKind.Validation);
            bestTest = objective.RocAucOn(search.Best, test);
            medianTest = search.MedianParameters is { } m ? objective.RocAucOn(m, test) : null;
            defaultTest = objective.RocAucOn(defaults, test);
        }
        var note = fellBack
            ? string.Create(c, $"the study's PBO {pbo:F2} exceeds max_pbo {maxPbo:F2}: its best trial is likely selected for luck, so the stage trains with the default parameters")
            : pbo is null
                ? $"PBO not computed ({search.OverfitUnavailable ?? "no analysis"}): the stage trains with the best trial's parameters"
                : string.Create(c, $"the study's PBO {pbo:F2} is within max_pbo {maxPbo:F2}: the stage trains with the best trial's parameters");
        return new GbdtSearchCheck
        {
            Objective = search.Objective,
            BestTrial = search.BestTrial,
            BestHeldOutAuc = search.BestHeldOutAuc,
            BestTestAuc = bestTest,
            ValidationToTestDrop = search.BestHeldOutAuc is { } v && bestTest is { } t ? v - t : null,
            MedianTrial = search.MedianTrial,
            MedianTestAuc = medianTest,
            DefaultTestAuc = defaultTest,
            Pbo = pbo,
            MaxPbo = maxPbo,
            FellBackToDefaults = fellBack,
            Note = note,
        };
    }
}
