using Kairos.Errors;
using Kairos.Progress;
using Kairos.Search;
using Kairos.Snapshots;
using Kairos.Trees.Tuning;

namespace Kairos.Pipeline;

/// <summary>
/// What <c>kairos worker</c> runs for a study: the walk-forward windows of <c>kairos run</c>
/// (<see cref="PipelineWindow"/>, which need the deep model and so live here, beside the pipeline), and every other
/// objective kind through <see cref="StudyObjectives"/>.
/// </summary>
public static class PipelineObjectives
{
    /// <summary>One walk-forward window of the whole pipeline (<see cref="WalkForwardWindowTrainer"/>, spec <see cref="WalkForwardWindowSpec"/>).</summary>
    public const string PipelineWindow = "pipeline-window";

    /// <summary>The fixed parameter naming a work item's window (<c>window_01</c>, ...).</summary>
    public const string WindowParam = "window";

    public static StudyObjective Create(StudyRecord study, string? dataset, IProgressSink progress, CancellationToken cancellation, string? codeVersion = null)
    {
        if (study.Options.ObjectiveKind != PipelineWindow) return StudyObjectives.Create(study, dataset, cancellation);
        if (dataset is not null)
            throw new ConfigException("--dataset", [$"study '{study.Name}' runs walk-forward windows of a run config, which name their own data"]);
        var spec = WalkForwardWindowSpec.FromJson(study.Options.ObjectiveSpec, study.Name);
        var config = RunConfigLoader.LoadFile(spec.Config);
        if (config.WalkForward is null)
            throw new ConfigException(spec.Config, [$"walkforward: the config has no walkforward section any more (study '{study.Name}' was made from it)"]);
        var plan = WalkForwardPlan.Create(config, Snapshot.Open(spec.Snapshot));
        if (plan.Id != spec.WalkForwardId)
            throw new ConfigException(spec.Config, [$"walkforward: the config or its data changed since study '{study.Name}' was made (walk-forward {plan.Id}, the study trains {spec.WalkForwardId}); run 'kairos run {spec.Config}' to make the new one"]);
        var trainer = new WalkForwardWindowTrainer(plan, TimeProvider.System, codeVersion);
        return new StudyObjective(trial => Evaluate(trial, plan, trainer, new CancellingProgress(progress, cancellation), null));
    }

    /// <summary>One work item: the window named by its fixed parameter, trained (or found finished); its value is the test log loss.</summary>
    internal static double Evaluate(ITrial trial, WalkForwardPlan plan, WalkForwardWindowTrainer trainer, IProgressSink progress, Action<string>? log)
    {
        var name = trial.SuggestCategorical(WindowParam, plan.Windows.Select(w => w.Name).ToList());
        var window = plan.Windows.Single(w => w.Name == name);
        var result = trainer.Train(window, progress, log);
        trial.SetAttribute("test_rows", result.TestRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return result.TestLogLoss ?? 0;
    }

    /// <summary>Progress that stops the work (OperationCanceledException) at the next progress report once cancelled, so Ctrl-C on a worker hands its window back without waiting for it to end.</summary>
    private sealed class CancellingProgress(IProgressSink inner, CancellationToken cancellation) : IProgressSink
    {
        public IProgressTask Start(string description, double total)
        {
            cancellation.ThrowIfCancellationRequested();
            return new Task(inner.Start(description, total), cancellation);
        }

        private sealed class Task(IProgressTask inner, CancellationToken cancellation) : IProgressTask
        {
            public void Advance(double units)
            {
                cancellation.ThrowIfCancellationRequested();
                inner.Advance(units);
            }

            public void SetDescription(string description) => inner.SetDescription(description);
            public void Dispose() => inner.Dispose();
        }
    }
}
