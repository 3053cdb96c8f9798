using Kairos.Bundles;
using Kairos.Errors;
using Kairos.Datasets;
using Kairos.Evaluation;
using Kairos.Features;
using Kairos.Replay;

namespace Kairos.Predict;

/// <summary>
/// One row per decision bar of a <c>kairos predict</c> window, as columns: the bar's time and symbol, the bundle, the
/// eligibility (the dataset's rules in its order) and the scoring reason (<c>out_of_distribution</c> for an eligible bar
/// refused by the guard, still scored), the trees' signals, <c>p_long</c> and the hybrid heads, the input distance, the
/// context and the labels where the bars after it exist (NaN / -1 where they do not). Column names and meaning:
/// docs/predict.md.
/// </summary>
public sealed class PredictionTable
{
    private readonly List<long> _time = [];
    private readonly List<byte> _eligible = [];
    private readonly List<EligibilityReason> _reason = [];
    private readonly List<TreeSignalValues> _signals = [];
    private readonly List<double> _pLong = [];
    private readonly List<HybridHeads> _hybrid = [];
    private readonly List<double> _distance = [];
    private readonly List<ContextValues> _context = [];
    private readonly List<int> _atrBucket = [];
    private readonly List<int> _spreadBucket = [];
    private readonly List<int> _yDirection = [];
    private readonly List<int> _yEarlyMove = [];
    private readonly List<double> _yQuality = [];
    private readonly List<double> _mae = [];
    private readonly List<double> _mfe = [];

    public PredictionTable(string symbol, string bundleId, string modelVersion, PLongSource source, bool hasHybrid)
    {
        Symbol = symbol;
        BundleId = bundleId;
        ModelVersion = modelVersion;
        Source = source;
        HasHybrid = hasHybrid;
    }

    public string Symbol { get; }
    public string BundleId { get; }
    /// <summary>The registry version scored, or the bundle id when a bundle was given directly.</summary>
    public string ModelVersion { get; }
    public PLongSource Source { get; }

    /// <summary>Why <see cref="Source"/> gives <c>p_long</c> (<see cref="PLongSelection.Reason"/>).</summary>
    public string? SourceReason { get; init; }
    public bool HasHybrid { get; }
    public int Count => _time.Count;

    public IReadOnlyList<long> Time => _time;
    public IReadOnlyList<EligibilityReason> Reason => _reason;
    public IReadOnlyList<double> PLong => _pLong;
    public IReadOnlyList<int> YDirection => _yDirection;
    public IReadOnlyList<TreeSignalValues> Signals => _signals;
    public IReadOnlyList<HybridHeads> Hybrid => _hybrid;
    public IReadOnlyList<double> InputDistance => _distance;
    public IReadOnlyList<ContextValues> Context => _context;
    public IReadOnlyList<double> Mae => _mae;
    public IReadOnlyList<double> Mfe => _mfe;

    /// <summary>Whether the dataset's eligibility rules passed (true also for a bar the guard refused).</summary>
    public bool Eligible(int row) => _eligible[row] != 0;

    /// <summary>A row to evaluate: eligible by the dataset's rules, scored, with a direction label.</summary>
    public bool IsEvaluable(int row) => _eligible[row] != 0 && double.IsFinite(_pLong[row]) && _yDirection[row] >= 0;

    internal void Add(long time, in BarPrediction p, int atrBucket, int spreadBucket)
    {
        _time.Add(time);
        var eligible = p.Reason is EligibilityReason.Eligible or EligibilityReason.OutOfDistribution;
        _eligible.Add(eligible ? (byte)1 : (byte)0);
        _reason.Add(p.Reason);
        _signals.Add(p.Signals);
        _pLong.Add(p.PLong);
        _hybrid.Add(p.Hybrid);
        _distance.Add(p.InputDistance);
        _context.Add(p.Context);
        _atrBucket.Add(atrBucket);
        _spreadBucket.Add(spreadBucket);
        _yDirection.Add(-1);
        _yEarlyMove.Add(-1);
        _yQuality.Add(double.NaN);
        _mae.Add(double.NaN);
        _mfe.Add(double.NaN);
    }

    internal void SetLabels(int row, int direction, int earlyMove, double quality, double mae, double mfe)
    {
        _yDirection[row] = direction;
        _yEarlyMove[row] = earlyMove;
        _yQuality[row] = quality;
        _mae[row] = mae;
        _mfe[row] = mfe;
    }

    internal int AtrBucket(int row) => _atrBucket[row];
    internal int SpreadBucket(int row) => _spreadBucket[row];
    internal int YEarlyMove(int row) => _yEarlyMove[row];
    internal double YQuality(int row) => _yQuality[row];

    /// <summary>The evaluable rows (<see cref="IsEvaluable"/>) as predictions for <c>kairos eval</c>: <c>y_prob</c> = <c>p_long</c>, <c>y_true</c> = <c>y_direction</c>.</summary>
    public Predictions ToPredictions(string source)
    {
        var rows = Enumerable.Range(0, Count).Where(IsEvaluable).ToArray();
        if (rows.Length == 0)
            throw new DataException(source, "no-rows", $"none of the {Count} bars of the window is evaluable (eligible, scored and labelled)");
        static string Name(IReadOnlyList<string> names, int id) => id >= 0 && id < names.Count ? names[id] : "UNKNOWN";
        return new Predictions(
            source,
            rows.Select(i => _pLong[i]).ToArray(),
            rows.Select(i => _yDirection[i]).ToArray(),
            rows.Select(i => Name(SessionTable.Names, _context[i].SessionId)).ToArray(),
            rows.Select(i => Name(ContextValues.VolRegimeNames, _context[i].VolRegimeId)).ToArray(),
            rows.Select(i => _time[i]).ToArray(),
            rows.Select(_ => Symbol).ToArray());
    }
}
