using System.Globalization;

namespace Kairos.Pipeline;

/// <summary>The walk-forward stage of <see cref="PipelineRun.Execute"/> (<see cref="WalkForwardRun"/>); skipped when the config has no <c>walkforward:</c> section.</summary>
public sealed partial class PipelineRun
{
    private Step<WalkForwardResult?> WalkForward(Snapshots.Snapshot snapshot)
    {
        if (_config.WalkForward is null)
            return new Step<WalkForwardResult?>(null, RunStageStatus.Skipped, null, null, "no walkforward section in the config");
        var result = WalkForwardRun.Execute(_config, snapshot, _options.Time, _options.CodeVersion, _progress, _options.Observer is { } o ? o.Log : null);
        var e = result.Summary.Estimate;
        var p = e.Pooled;
        var auc = e.Spread.TryGetValue("auc_roc", out var s) ? string.Create(CultureInfo.InvariantCulture, $" (per window {s.Mean:F4} ± {s.Std:F4})") : "";
        return Made<WalkForwardResult?>(result, result.Reused, result.Summary.Id, result.Directory, string.Create(CultureInfo.InvariantCulture,
            $"{e.Windows} window(s), {p.Samples:N0} pooled test rows {e.TestFrom[..10]}..{e.TestTo[..10]}: ROC-AUC {p.AucRoc:F4}{auc}, PR-AUC {p.PrAuc:F4}, Brier {p.Brier:F4}"));
    }
}
