using Kairos.Bundles;
using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Features;
using Kairos.Trees;

namespace Kairos.Replay;

/// <summary>
/// The trees stage's final models and per-session calibrators, loaded from a trees artifact directory
/// (<c>gbdt.json</c>, LightGBM text models, the calibrator set), scoring one bar at a time from a
/// <see cref="FeatureStream"/>: the same tree features (unscaled snapshot features, continuous context,
/// categorical context ids, in <c>feature_names</c> order) and the same signal arithmetic
/// (<see cref="TreeSignals"/>) as the enriched dataset's validation and test rows, each member through LightGBM's
/// single-row fast path (<see cref="LightGbmRowPredictor"/>: the same raw scores, set up once at load). Every covered session
/// needs its calibrator at load (<see cref="MissingCalibratorException"/> otherwise): replay never
/// scores with raw, uncalibrated trees.
/// </summary>
public sealed class TreeSignalModel : IDisposable
{
    private enum Source { Snapshot, Continuous, Categorical }

    private readonly LightGbmBooster[][] _members;
    private readonly LightGbmRowPredictor[][] _rowPredictors;
    private readonly double[][][] _margins;
    private readonly int[] _groupOfSession;
    private readonly ICalibrator?[] _calibratorOfSession;
    private readonly (Source Kind, int Index)[] _inputs;
    private readonly string[] _featureNames;
    private readonly float[] _row;
    private readonly double[] _snapshot;
    private readonly double[] _continuous = new double[2];
    private readonly int[] _categorical;

    private TreeSignalModel(LightGbmBooster[][] members, int[] groupOfSession, ICalibrator?[] calibrators, (Source, int)[] inputs,
        string[] featureNames, int snapshotCount, int categoricalCount)
    {
        _categorical = new int[categoricalCount];
        _members = members;
        _rowPredictors = members.Select(g => g.Select(m => m.CreateRowPredictor()).ToArray()).ToArray();
        _margins = members.Select(g => g.Select(_ => new double[1]).ToArray()).ToArray();
        _groupOfSession = groupOfSession;
        _calibratorOfSession = calibrators;
        _inputs = inputs;
        _featureNames = featureNames;
        _row = new float[featureNames.Length];
        _snapshot = new double[snapshotCount];
    }

    public IReadOnlyList<string> FeatureNames => _featureNames;

    /// <summary>Loads the trees in <paramref name="directory"/> for bars described by <paramref name="stream"/>'s dataset.</summary>
    public static TreeSignalModel Load(string directory, FeatureStream stream)
    {
        var json = GbdtArtifactJson.Open(directory);
        var names = json.FeatureNames();
        var snapshotNames = stream.Config.EffectiveSnapshotFeatures;
        var inputs = new (Source, int)[names.Length];
        var problems = new List<string>();
        for (var c = 0; c < names.Length; c++)
        {
            if (IndexOf(snapshotNames, names[c]) is var s and >= 0) inputs[c] = (Source.Snapshot, s);
            else if (IndexOf(stream.ContinuousNames, names[c]) is var k and >= 0) inputs[c] = (Source.Continuous, k);
            else if (IndexOf(stream.CategoricalNames, names[c]) is var g and >= 0) inputs[c] = (Source.Categorical, g);
            else problems.Add($"tree feature '{names[c]}' is neither a snapshot feature nor a context column of the dataset");
        }
        if (problems.Count > 0) throw new DataException(json.Path, "trees-features", string.Join("; ", problems));

        var (calibrators, bucket) = json.Calibration();
        var groups = json.Groups();
        var members = new LightGbmBooster[groups.Count][];
        var groupOfSession = new int[SessionTable.Names.Count];
        System.Array.Fill(groupOfSession, -1);
        var calibratorOf = new ICalibrator?[SessionTable.Names.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            members[g] = json.FinalModels(group, g).Select(relative =>
            {
                var file = Path.Combine(directory, relative);
                if (!File.Exists(file)) throw new DataException(file, "trees-model-missing", "a final tree model listed in gbdt.json is missing");
                return LightGbmBooster.Load(File.ReadAllText(file));
            }).ToArray();
            foreach (var (session, id) in json.Sessions(group, g))
            {
                groupOfSession[id] = g;
                calibratorOf[id] = calibrators.Get(session, bucket);
            }
        }
        return new TreeSignalModel(members, groupOfSession, calibratorOf, inputs, names, snapshotNames.Count, stream.CategoricalNames.Count);
    }

    /// <summary>True when the session has trees (a session the trees never trained on, such as a blocked one, has none).</summary>
    public bool Covers(int sessionId) => _groupOfSession[sessionId] >= 0;

    /// <summary>Signals of the stream's current bar; its session must be covered.</summary>
    public TreeSignalValues Score(FeatureStream stream)
    {
        var session = stream.Context.SessionId;
        var group = _groupOfSession[session];
        if (group < 0) throw new InvalidOperationException($"no trees cover session {SessionTable.Names[session]}");
        CopyFeatures(stream, _row);
        var margins = _margins[group];
        var predictors = _rowPredictors[group];
        for (var m = 0; m < margins.Length; m++) margins[m][0] = predictors[m].PredictRaw(_row);
        var signals = TreeSignals.Compute(margins, _calibratorOfSession[session]!);
        return new TreeSignalValues(signals.PHat[0], signals.Margin[0], signals.PCal[0], signals.Entropy[0], signals.UncertaintyScore[0]);
    }

    /// <summary>
    /// The trees' feature row of the stream's current bar (<see cref="FeatureNames"/> order, float32 as LightGBM gets it):
    /// unscaled snapshot features, continuous context, categorical context ids. The input of an exported trees ONNX model.
    /// </summary>
    public void CopyFeatures(FeatureStream stream, Span<float> destination)
    {
        if (destination.Length != _featureNames.Length)
            throw new ArgumentException($"the trees take {_featureNames.Length} features, the destination holds {destination.Length}", nameof(destination));
        stream.CopySnapshot(_snapshot);
        stream.CopyContextContinuous(_continuous);
        stream.CopyContextCategorical(_categorical);
        for (var c = 0; c < destination.Length; c++)
        {
            var (kind, index) = _inputs[c];
            destination[c] = kind switch
            {
                Source.Snapshot => (float)_snapshot[index],
                Source.Continuous => (float)_continuous[index],
                _ => _categorical[index],
            };
        }
    }

    public void Dispose()
    {
        foreach (var group in _rowPredictors)
            foreach (var p in group) p.Dispose();
        foreach (var group in _members)
            foreach (var m in group) m.Dispose();
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        return -1;
    }
}
