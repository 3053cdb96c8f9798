using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kairos.Datasets;
using Kairos.Snapshots;
using Kairos.Trees;

namespace Kairos.Pipeline;

/// <summary>
/// The walk-forward of one run config on one snapshot: its windows, the settings every window trains with, and its
/// content-derived <see cref="Id"/> (snapshot, windows and every training setting; the same for the run and for every
/// <c>kairos worker</c> that helps it, which checks it). Everything lives under <c>OUT/walkforward/&lt;id&gt;/</c>.
/// </summary>
public sealed record WalkForwardPlan
{
    public const string StudyPrefix = "walkforward-";

    public required string Id { get; init; }
    public required RunConfig Config { get; init; }
    public required WalkForwardOptions Options { get; init; }
    public required Snapshot Snapshot { get; init; }
    /// <summary>The bars of the run's (first) symbol.</summary>
    public required BarSeries Bars { get; init; }

    /// <summary>
    /// The bars of every symbol of the run, in its order (one: <see cref="Bars"/>). With several, the windows are planned on
    /// the union of their bar times (their <see cref="WalkForwardWindow.FirstBar"/> and <see cref="WalkForwardWindow.EndBar"/>
    /// index that union) and each symbol's rows are cut by the window's dates (<see cref="WalkForwardWindows.Rows"/>).
    /// </summary>
    public IReadOnlyList<BarSeries> SymbolBars { get; init; } = [];

    public required IReadOnlyList<WalkForwardWindow> Windows { get; init; }

    /// <summary>The trees settings every window trains with (the run's, with <see cref="WalkForwardOptions.Trials"/> if given).</summary>
    public GbdtSearchOptions Search => Options.Trials is { } t ? Config.Search with { Trials = t } : Config.Search;

    /// <summary>The hybrid settings every window trains with (the run's, with <see cref="WalkForwardOptions.Epochs"/> if given).</summary>
    public Deep.Hybrid.HybridTrainerOptions Hybrid => Options.Epochs is { } e ? Config.Hybrid with { Training = Config.Hybrid.Training with { Epochs = e } } : Config.Hybrid;

    public string Directory => Path.Combine(Config.Out, "walkforward", Id);

    public string WindowsDirectory => Path.Combine(Directory, "windows");

    /// <summary>The finished walk-forward (pooled predictions, evaluation, plots, summary), renamed into place when complete.</summary>
    public string ResultDirectory => Path.Combine(Directory, "result");

    public string StudyName => StudyPrefix + Id;

    /// <summary>The study storage of the windows' work items; a relative SQLite path is relative to the config file.</summary>
    public string Storage => Options.Storage switch
    {
        null => "sqlite:" + Path.Combine(Config.Out, "walkforward", "studies.sqlite"),
        var s when s.StartsWith("sqlite:", StringComparison.Ordinal) =>
            "sqlite:" + Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Config.ConfigFile)!, s["sqlite:".Length..])),
        var s => s,
    };

    /// <summary>
    /// A pooled walk-forward builds each window's dataset from every symbol's bars in it, so every symbol needs bars in every
    /// window: checked when the windows are planned, naming every symbol and window without bars at once, instead of when
    /// the first such window is reached after the earlier ones have trained (<c>walkforward-symbol-empty</c>).
    /// </summary>
    private static void RequireEverySymbolInEveryWindow(IReadOnlyList<BarSeries> symbolBars, IReadOnlyList<WalkForwardWindow> windows, int labelHorizon, string snapshotDirectory)
    {
        var missing = (from bars in symbolBars
                       from window in windows
                       let rows = WalkForwardWindows.Rows(bars.Time, window, labelHorizon)
                       where rows.EndBar <= rows.FirstBar
                       select NoBars(bars, window)).ToList();
        if (missing.Count > 0)
            throw new Errors.DataException(snapshotDirectory, "walkforward-symbol-empty",
                $"{string.Join("; ", missing)}: every symbol of a pooled walk-forward needs bars in every window (shorten the walk-forward, or leave the symbol out)");
    }

    /// <summary>The problem of a symbol without bars in a window (<c>walkforward-symbol-empty</c>).</summary>
    internal static string NoBars(BarSeries bars, WalkForwardWindow window) =>
        $"{bars.Symbol} has no bar in {window.Name} ({window.TrainStart:yyyy-MM-dd} .. {window.TestEnd:yyyy-MM-dd})";

    /// <summary>Plans the windows of <paramref name="config"/>'s walk-forward on the snapshot's bars (ConfigException when none fits).</summary>
    public static WalkForwardPlan Create(RunConfig config, Snapshot snapshot)
    {
        var options = config.WalkForward ?? throw new InvalidOperationException("the run config has no walkforward section");
        var symbolBars = config.Symbols.Select(symbol => snapshot.ReadBars(symbol)).ToList();
        var bars = symbolBars[0];
        var times = config.MultiSymbol ? symbolBars.SelectMany(b => b.Time).Distinct().Order().ToArray() : bars.Time;
        var windows = WalkForwardWindows.Plan(times, bars.BarSize, options.Schedule, config.Dataset.Labels.Horizon);
        if (config.MultiSymbol) RequireEverySymbolInEveryWindow(symbolBars, windows, config.Dataset.Labels.Horizon, snapshot.Directory);
        var plan = new WalkForwardPlan { Id = "", Config = config, Options = options, Snapshot = snapshot, Bars = bars, SymbolBars = symbolBars, Windows = windows };
        // One symbol: the text every earlier walk-forward id was made of; several: all of them, in the run's order.
        var text = new StringBuilder("kairos.walkforward/1\n")
            .Append(snapshot.Id).Append('\n').Append(config.MultiSymbol ? string.Join(",", config.Symbols) : config.Symbol).Append('\n')
            .Append(JsonSerializer.Serialize(windows, RunState.Json)).Append('\n')
            .Append(JsonSerializer.Serialize(config.Dataset, DatasetJson.Options)).Append('\n')
            .Append(JsonSerializer.Serialize(options.Schedule, RunState.Json)).Append('\n')
            .Append(JsonSerializer.Serialize(config.Trees, RunState.Json)).Append('\n')
            .Append(JsonSerializer.Serialize(plan.Search, RunState.Json)).Append('\n')
            .Append(JsonSerializer.Serialize(plan.Hybrid with { Training = plan.Hybrid.Training with { LogEvery = 0 } }, Deep.Runs.RunJson.Options)).Append('\n')
            .Append(JsonSerializer.Serialize(config.Evaluation, Evaluation.EvaluationReportFile.JsonOptions));
        return plan with { Id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16] };
    }
}
