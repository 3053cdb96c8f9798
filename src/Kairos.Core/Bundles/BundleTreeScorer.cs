using Kairos.Calibration;
using Kairos.Errors;
using Kairos.Trees;

namespace Kairos.Bundles;

/// <summary>
/// The tree models and per-session calibrators of a bundle, ready to score one bar at a time: the session's
/// ensemble scores the feature vector (<see cref="LightGbmRowPredictor"/>: LightGBM's single-row fast path, one
/// thread, the same binding replay and training use), the session's calibrator maps the
/// mean margin, and the five signals are computed exactly as the trees stage computes them for training
/// (<see cref="TreeSignals"/>). A session without a calibrator is an error, never a fallback to raw scores.
/// Not thread-safe: one scorer per thread.
/// </summary>
public sealed class BundleTreeScorer : IDisposable
{
    private readonly Dictionary<string, (LightGbmRowPredictor[] Members, double[][] Margins, ICalibrator Calibrator)> _sessions;
    private readonly List<IDisposable> _models;
    private readonly TreeSignals _scratch = TreeSignals.Allocate(1);

    private BundleTreeScorer(IReadOnlyList<string> featureNames, Dictionary<string, (LightGbmRowPredictor[], double[][], ICalibrator)> sessions, List<IDisposable> models)
    {
        FeatureNames = featureNames;
        _sessions = sessions;
        _models = models;
    }

    /// <summary>Input features of the trees, in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    public IReadOnlyCollection<string> Sessions => _sessions.Keys;

    public static BundleTreeScorer Open(Bundle bundle)
    {
        var gbdt = JsonInput.Read(bundle.PathOf($"{BundleFormat.TreesDirectory}/{BundleSources.TreesMetadataFile}"));
        var featureNames = gbdt.Strings("feature_names");
        var calibratorsPath = bundle.Metadata.Components.GetValueOrDefault("calibrators")
            ?? throw new VerificationException($"bundle {bundle.Directory}", ["bundle_metadata.json names no 'calibrators' component"]);
        var calibrators = SessionCalibratorSet.Load(bundle.PathOf(calibratorsPath));
        var models = new List<IDisposable>();
        var sessions = new Dictionary<string, (LightGbmRowPredictor[], double[][], ICalibrator)>(StringComparer.Ordinal);
        try
        {
            var groups = gbdt.Array("groups");
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g] as System.Text.Json.Nodes.JsonObject ?? throw gbdt.Missing($"groups[{g}]", "is not an object");
                var files = group["final"] as System.Text.Json.Nodes.JsonArray ?? throw gbdt.Missing($"groups[{g}].final", "is missing");
                var members = new LightGbmRowPredictor[files.Count];
                for (var m = 0; m < files.Count; m++)
                {
                    var file = (string?)files[m]?["file"] ?? throw gbdt.Missing($"groups[{g}].final[{m}].file", "is missing");
                    // The row predictor holds the booster's native handle; the booster object is disposed after it.
                    var booster = LightGbmBooster.Load(File.ReadAllText(bundle.PathOf($"{BundleFormat.TreesDirectory}/{file}")));
                    models.Add(booster);
                    members[m] = booster.CreateRowPredictor();
                    models.Add(members[m]);
                    if (members[m].FeatureCount != featureNames.Count)
                        throw new VerificationException($"bundle {bundle.Directory}", [$"tree model {file} expects {members[m].FeatureCount} features, gbdt.json lists {featureNames.Count}"]);
                }
                foreach (var session in (group["sessions"] as System.Text.Json.Nodes.JsonArray ?? throw gbdt.Missing($"groups[{g}].sessions", "is missing")).Select(x => (string)x!))
                    sessions[session] = (members, members.Select(_ => new double[1]).ToArray(), calibrators.Get(session));
            }
        }
        catch
        {
            DisposeAll(models);
            throw;
        }
        return new BundleTreeScorer(featureNames, sessions, models);
    }

    /// <summary>Signals of one bar of <paramref name="session"/> with features in <see cref="FeatureNames"/> order.</summary>
    public TreeSignalValues Score(string session, ReadOnlySpan<float> features)
    {
        if (!_sessions.TryGetValue(session, out var s))
            throw new MissingCalibratorException(session, SessionCalibratorSet.AllBuckets, "bundle trees", [.. _sessions.Keys]);
        for (var m = 0; m < s.Members.Length; m++) s.Margins[m][0] = s.Members[m].PredictRaw(features);
        _scratch.Fill(0, s.Margins, s.Calibrator);
        return new TreeSignalValues(_scratch.PHat[0], _scratch.Margin[0], _scratch.PCal[0], _scratch.Entropy[0], _scratch.UncertaintyScore[0]);
    }

    public void Dispose() => DisposeAll(_models);

    private static void DisposeAll(List<IDisposable> models)
    {
        // Predictors before their boosters (the predictor's reference keeps the native booster alive either way).
        for (var i = models.Count - 1; i >= 0; i--) models[i].Dispose();
    }
}
