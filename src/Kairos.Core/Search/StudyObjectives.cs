using Kairos.Errors;

namespace Kairos.Search;

/// <summary>
/// Maps a study's recorded objective kind and spec to the code <c>kairos worker</c> runs: a plain
/// switch over the kinds Kairos knows, so what a worker executes is visible here and nowhere else.
/// </summary>
public static class StudyObjectives
{
    public const string Test = "test";
    public const string GbdtFold = "gbdt-fold";

    public static readonly IReadOnlyList<string> Kinds = [Test, GbdtFold];

    public static Func<ITrial, double> Create(StudyRecord study) => study.Options.ObjectiveKind switch
    {
        Test => TestObjective.FromSpec(study.Options.ObjectiveSpec).Evaluate,
        GbdtFold => new WalkForwardFoldObjective(WalkForwardSpec.FromJson(study.Options.ObjectiveSpec)).Evaluate,
        "" => throw new ConfigException($"study '{study.Name}'",
            ["it records no objective kind (it was made by an in-process search), so a worker cannot run it"]),
        var other => throw new ConfigException($"study '{study.Name}'",
            [$"unknown objective kind '{other}'; known: {string.Join(", ", Kinds)}"]),
    };
}
