using Kairos.Errors;
using Kairos.Trees;
using Kairos.Search;

namespace Kairos.Trees.Tuning;

/// <summary>
/// Maps a study's recorded objective kind and spec to the code <c>kairos worker</c> runs: a plain
/// switch over the kinds Kairos knows, so what a worker executes is visible here and nowhere else.
/// </summary>
public static class StudyObjectives
{
    public const string Test = "test";

    /// <summary>The trees search of <c>kairos train gbdt --trials</c> (<see cref="GbdtSearchObjective"/>, spec <see cref="GbdtStudySpec"/>).</summary>
    public const string Gbdt = "gbdt";

    /// <summary>One walk-forward fold (<see cref="WalkForwardFoldObjective"/>, spec <see cref="WalkForwardSpec"/>).</summary>
    public const string GbdtFold = "gbdt-fold";

    /// <summary>One symbol of a dataset build (<see cref="Datasets.DistributedDatasetBuild"/>).</summary>
    public const string DatasetSymbol = Datasets.DistributedDatasetBuild.ObjectiveKind;

    public static readonly IReadOnlyList<string> Kinds = [Test, Gbdt, GbdtFold, DatasetSymbol];

    /// <summary>
    /// Builds the objective of <paramref name="study"/>. <paramref name="dataset"/> replaces the dataset
    /// directory recorded in the spec (the same dataset at another path on this machine; its id is checked).
    /// <paramref name="cancellation"/> interrupts a <c>gbdt</c> trial between boosting iterations.
    /// </summary>
    public static StudyObjective Create(StudyRecord study, string? dataset = null, CancellationToken cancellation = default)
    {
        var kind = study.Options.ObjectiveKind;
        if (dataset is not null && kind is not (Gbdt or GbdtFold))
            throw new ConfigException("--dataset", [$"study '{study.Name}' runs objective '{kind}', which reads no dataset"]);
        switch (kind)
        {
            case Test:
                return new StudyObjective(TestObjective.FromSpec(study.Options.ObjectiveSpec).Evaluate);
            case Gbdt:
                var objective = GbdtStudySpec.FromJson(study.Options.ObjectiveSpec, $"study '{study.Name}' objective spec").CreateObjective(dataset);
                return new StudyObjective(trial => objective.Evaluate(trial, cancellation), objective);
            case GbdtFold:
                var spec = WalkForwardSpec.FromJson(study.Options.ObjectiveSpec);
                return new StudyObjective(new WalkForwardFoldObjective(dataset is null ? spec : spec with { Dataset = Path.GetFullPath(dataset) }).Evaluate);
            case DatasetSymbol:
                return Datasets.DistributedDatasetBuild.Objective(study);
            default:
                throw Unknown(study);
        }
    }

    /// <summary>Checks the study's objective can run here (spec valid, dataset present with the right id) without loading data.</summary>
    public static void Check(StudyRecord study)
    {
        switch (study.Options.ObjectiveKind)
        {
            case Test:
                TestObjective.FromSpec(study.Options.ObjectiveSpec);
                break;
            case Gbdt:
                GbdtStudySpec.FromJson(study.Options.ObjectiveSpec, $"study '{study.Name}' objective spec").CheckDataset();
                break;
            case GbdtFold:
                WalkForwardSpec.FromJson(study.Options.ObjectiveSpec);
                break;
            case DatasetSymbol:
                Datasets.DistributedDatasetBuild.Objective(study);
                break;
            default:
                throw Unknown(study);
        }
    }

    private static ConfigException Unknown(StudyRecord study) => study.Options.ObjectiveKind switch
    {
        "" => new ConfigException($"study '{study.Name}'",
            ["it records no objective kind (it was made by an in-process search), so a worker cannot run it"]),
        var other => new ConfigException($"study '{study.Name}'",
            [$"unknown objective kind '{other}'; known: {string.Join(", ", Kinds)}"]),
    };
}
