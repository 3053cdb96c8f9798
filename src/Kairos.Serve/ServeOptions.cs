using Kairos.Replay;

namespace Kairos.Serve;

/// <summary>What <c>kairos serve</c> runs: the model source, where it listens, warm-up, journal and the entry rule.</summary>
public sealed record ServeOptions
{
    /// <summary>Registry root: the service runs its best version and follows promotions and rollbacks.</summary>
    public string? Registry { get; init; }

    /// <summary>A bundle directory (instead of a registry): reload re-reads it.</summary>
    public string? Bundle { get; init; }

    /// <summary>Address to listen on, <c>HOST:PORT</c> (port 0: any free port, logged at start).</summary>
    public string Listen { get; init; } = "127.0.0.1:8080";

    /// <summary>Snapshot whose bars warm every symbol's features up before the first live bar.</summary>
    public string? Warmup { get; init; }

    /// <summary>Journal directory: every accepted bar and its decision, replayed on restart (null: no journal).</summary>
    public string? Journal { get; init; }

    /// <summary>Which model gives <c>p_long</c> (<c>--p-long</c>, <see cref="BundleReplayOptions.Settings.PLong"/>): auto serves each loaded bundle with the model its gate judged.</summary>
    public PLongChoice PLong { get; init; } = BundleReplayOptions.Settings.PLong.Default;

    /// <summary>What computes the hybrid forward (<c>--engine</c>); only the hybrid model has engines, so libtorch needs p_long from the hybrid.</summary>
    public ServeHybridEngine Engine { get; init; } = ServeHybridEngine.Managed;

    /// <summary>
    /// An export of the served bundle (<c>kairos bundle export DIR --format onnx --out OUT</c>) whose <c>hybrid.onnx</c> the
    /// onnx engine runs; it must name the bundle's id and feature contract (refused otherwise, exit 3). Null: the bundle's
    /// model is exported in memory at load (and at every hot swap).
    /// </summary>
    public string? OnnxExport { get; init; }

    /// <summary>The entry rule (thresholds, shorts, one position at a time, entry-quality window, gap) as replay applies it.</summary>
    public ReplayOptions Rule { get; init; } = new();

    /// <summary>No bar within this long turns the status to degraded (null: three bar sizes).</summary>
    public TimeSpan? StaleAfter { get; init; }

    /// <summary>How often the registry's best is checked (registry mode); zero turns polling off.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes after which the journal starts a new segment.</summary>
    public long JournalSegmentBytes { get; init; } = 64L << 20;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if ((Registry is null) == (Bundle is null)) problems.Add("give exactly one of --registry and --bundle");
        problems.AddRange(Rule.Validate(key => key switch
        {
            "long_threshold" => "--long-threshold",
            "short_threshold" => "--short-threshold",
            _ => key,
        }));
        if (Engine == ServeHybridEngine.Libtorch && PLong == PLongChoice.Trees) problems.Add(LibtorchWithoutHybrid("--p-long trees"));
        if (OnnxExport is not null && Engine != ServeHybridEngine.Onnx) problems.Add("--onnx DIR is the export the onnx engine runs: add --engine onnx");
        if (OnnxExport is not null && Registry is not null)
            problems.Add("--onnx DIR is one bundle's export, and --registry serves whichever bundle is best: leave --onnx out (each served bundle is exported in memory) or serve --bundle");
        if (StaleAfter is { } s && s <= TimeSpan.Zero) problems.Add("--stale-after must be positive");
        if (PollInterval < TimeSpan.Zero) problems.Add("--poll must not be negative");
        return problems;
    }

    /// <summary>Why <c>--engine libtorch</c> cannot serve a model whose <c>p_long</c> comes from the trees (<paramref name="why"/>).</summary>
    internal static string LibtorchWithoutHybrid(string why) =>
        $"--engine libtorch runs the hybrid model, which p_long from the trees ({why}) does not use: add --p-long hybrid";
}
