using Kairos.Threading;
using Kairos.Search.Storage;

namespace Kairos.Trees;

/// <summary>Everything <c>kairos train gbdt</c> needs.</summary>
public sealed record GbdtRunOptions
{
    /// <summary>The dataset directory (<c>datasets/&lt;id&gt;</c>).</summary>
    public required string Dataset { get; init; }

    /// <summary>Root under which the trees artifact <c>&lt;id&gt;/</c> is written.</summary>
    public required string Out { get; init; }

    /// <summary>Root for the enriched dataset; null = beside the source dataset.</summary>
    public string? EnrichedOut { get; init; }

    /// <summary>SQLite file of the search study; null = <c>&lt;out&gt;/gbdt-studies.sqlite</c>.</summary>
    public string? StudyStorage { get; init; }

    /// <summary>
    /// A study shared with workers: joined (created when missing), worked on until its budget is finished,
    /// and the final models trained from its best trial. Null: the search runs in this process on
    /// <see cref="StudyStorage"/>.
    /// </summary>
    public GbdtSharedStudy? SharedStudy { get; init; }

    /// <summary>The stage settings; <c>Parameters.Threads</c> is replaced by the decision of <see cref="Threads"/>.</summary>
    public GbdtStageOptions Stage { get; init; } = new();

    /// <summary>
    /// LightGBM threads: <see cref="ThreadSetting.Auto"/> (default) decides at the start of the final fit and of every
    /// search trial (<see cref="ThreadBudget"/>); a fixed count is used throughout. Never part of the artifact id.
    /// </summary>
    public ThreadSetting Threads { get; init; } = ThreadSetting.Auto;

    /// <summary>Decides <see cref="Threads"/>; null: a budget of this call.</summary>
    public ThreadBudget? Budget { get; init; }

    public GbdtSearchOptions Search { get; init; } = new();

    /// <summary>Bootstrap resamples for the test ROC-AUC interval. Default 1000.</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>
    /// Rows of a split's features read from its file at a time: LightGBM datasets are built from them in chunks, models
    /// score them in chunks and the enriched copy is written column by column, so no split is held in memory. 0 reads
    /// every split into memory as feature matrices (the path before; same models, signals and files). Not part of the
    /// artifact id: it changes no result. Default <see cref="GbdtDatasetInput.DefaultChunkRows"/> (16,384).
    /// </summary>
    public int FeatureChunkRows { get; init; } = GbdtDatasetInput.DefaultChunkRows;

    /// <summary>Code version recorded in the lineage (the CLI passes the build's commit).</summary>
    public string? CodeVersion { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Dataset)) problems.Add("dataset: a dataset directory is required");
        else if (!Directory.Exists(Dataset)) problems.Add($"dataset: {Dataset} does not exist");
        if (string.IsNullOrWhiteSpace(Out)) problems.Add("out: an output directory is required");
        else if (File.Exists(Out)) problems.Add($"out: {Out} is a file, not a directory");
        if (SharedStudy is { } shared)
        {
            if (string.IsNullOrWhiteSpace(shared.Storage)) problems.Add("storage: a study storage (sqlite:PATH or postgres://...) is required with a shared study");
            if (shared.Study is { } name && string.IsNullOrWhiteSpace(name)) problems.Add("study: the study name is empty");
            if (StudyStorage is not null) problems.Add("study_storage: give either a SQLite study file or a shared study storage, not both");
        }
        if (FeatureChunkRows < 0) problems.Add($"feature_chunk_rows must be >= 0 (0: whole splits in memory), got {FeatureChunkRows}");
        if (BootstrapResamples < 10) problems.Add($"bootstrap_resamples must be >= 10, got {BootstrapResamples}");
        problems.AddRange(Stage.Validate());
        problems.AddRange(Search.Validate());
        return problems;
    }
}
