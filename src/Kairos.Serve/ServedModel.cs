using Kairos.Bundles;
using Kairos.Deep.Bundles;
using Kairos.Deep.Replay;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Onnx.Runtime;
using Kairos.Registry;
using Kairos.Replay;
using Kairos.Snapshots;

namespace Kairos.Serve;

/// <summary>
/// One loaded model: a verified bundle opened once per symbol of its dataset (each symbol has its own feature state),
/// named by its registry version (or bundle directory). Opening refuses a bundle whose feature contract is not the
/// running code's (<see cref="VerificationException"/>). Not thread-safe: the engine feeds it from one place.
/// </summary>
public sealed class ServedModel : IDisposable
{
    private readonly Dictionary<string, BundlePredictor> _predictors;

    private ServedModel(DecisionModel info, string directory, Dictionary<string, BundlePredictor> predictors, long barSeconds, IReadOnlyList<string> symbols)
    {
        Info = info;
        Directory = directory;
        _predictors = predictors;
        BarSeconds = barSeconds;
        Symbols = symbols;
    }

    public DecisionModel Info { get; }

    public string Directory { get; }

    public long BarSeconds { get; }

    public IReadOnlyList<string> Symbols { get; }

    /// <summary>Whether the bundle's dataset builds a spread feature (bars then need a spread).</summary>
    public bool NeedsSpread => _predictors.Values.First().Stream.Config.SpreadSource != Kairos.Features.SpreadSource.Absent;

    public BundlePredictor this[string symbol] => _predictors[symbol];

    /// <summary>What scores the trees, as the loaded predictors say (<see cref="BundlePredictor.TreesEngine"/>: <c>lightgbm</c> or <c>onnx</c>).</summary>
    public string TreesEngine => _predictors.Values.First().TreesEngine;

    /// <summary>What runs the deep model, as the loaded predictors say (<see cref="BundlePredictor.HybridEngine"/>); null when p_long comes from the trees.</summary>
    public string? HybridEngine => _predictors.Values.First().HybridEngine;

    /// <summary>Which of the bundle's models gives <c>p_long</c>, as <see cref="PLongSelection"/> resolved <see cref="ServeOptions.PLong"/> for it.</summary>
    public PLongSource PLongSource => _predictors.Values.First().Model.PLongSource!.Value;

    /// <summary>Why (<see cref="PLongSelection.Reason"/>).</summary>
    public string? PLongReason => _predictors.Values.First().Model.PLongReason;

    /// <summary>Warnings raised while opening (a bundle without a recorded training distribution: the out-of-distribution guard is off).</summary>
    public IReadOnlyList<string> Warnings => _predictors.Values.First().Warnings;

    /// <summary>The directory and version name that <paramref name="options"/> designate now (the registry's best, or the bundle).</summary>
    public static (string Directory, string Version) Resolve(ServeOptions options)
    {
        if (options.Bundle is { } bundle) return (Path.GetFullPath(bundle), Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(bundle))));
        var registry = new ModelRegistry(options.Registry!, new RegistryOptions { ContractAuthority = Kairos.Bundles.RunningFeatureContract.Instance });
        var best = registry.BestVersion()
            ?? throw new ConfigException("serve", [$"registry {registry.Root} has no best version yet: promote a bundle first"]);
        return (Path.Combine(registry.Root, ModelRegistry.VersionsDirectory, best), best);
    }

    public static ServedModel Open(string directory, string version, ServeOptions options)
    {
        var replay = new BundleReplayOptions
        {
            Live = false, // a contract mismatch is refused (exit 3 at start, the old model kept on reload), never a warning
            PLong = options.PLong,
            HybridBatchSize = 1,
            HybridLoader = HybridLoader(options),
            // The onnx engine runs the trees in ONNX Runtime too (the export's trees_*.onnx, calibrators in the graph).
            TreeLoader = options.Engine == ServeHybridEngine.Onnx ? OnnxTreeScorer.Loader(options.OnnxExport is { } trees ? Path.GetFullPath(trees) : null) : null,
        };
        var predictors = new Dictionary<string, BundlePredictor>(StringComparer.Ordinal);
        try
        {
            var first = BundlePredictor.Open(directory, replay, version);
            predictors[first.Dataset.Symbols[0]] = first;
            if (options.Engine == ServeHybridEngine.Libtorch && first.Model.PLongSource != PLongSource.Hybrid)
                throw new ConfigException("serve", [ServeOptions.LibtorchWithoutHybrid($"{first.Model.PLongReason}, bundle {directory}")]);
            foreach (var symbol in first.Dataset.Symbols.Skip(1)) predictors[symbol] = BundlePredictor.Open(directory, replay, version);
            // A pooled bundle scores each symbol as its symbol_id.
            foreach (var (symbol, predictor) in predictors) predictor.BindSymbol(symbol);
            var info = new DecisionModel(version, first.Metadata.BundleId, first.Metadata.FeatureContractHash);
            return new ServedModel(info, directory, predictors, first.Dataset.BarSeconds, first.Dataset.Symbols.ToArray());
        }
        catch
        {
            foreach (var p in predictors.Values) p.Dispose();
            throw;
        }
    }

    /// <summary>The hybrid model's loader for <see cref="ServeOptions.Engine"/>.</summary>
    private static Func<string, BundleMetadata, FeatureStream, IHybridScorer> HybridLoader(ServeOptions options) => options.Engine switch
    {
        ServeHybridEngine.Onnx => OnnxHybridScorer.Loader(options.OnnxExport is { } export ? Path.GetFullPath(export) : null),
        ServeHybridEngine.Libtorch => (directory, metadata, stream) =>
        {
            // One bar at a time: intra-op threads only add synchronisation (see kairos replay).
            TorchRuntime.ConfigureThreads(1);
            return HybridScorer.Loader(HybridInferenceEngine.Libtorch)(directory, metadata, stream);
        },
        _ => HybridScorer.OpenOneThread,
    };

    /// <summary>Feeds bars to one symbol's features without scoring (warm-up, journal replay, hot-swap catch-up).</summary>
    public void Warm(string symbol, in Bar bar) => _predictors[symbol].Next(bar, score: false);

    public void Dispose()
    {
        foreach (var p in _predictors.Values) p.Dispose();
    }
}
