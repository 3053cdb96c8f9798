using Kairos.Artifacts;
using System.Text.Json;
using Kairos.Calibration;
using Kairos.Errors;

namespace Kairos.Trees;

/// <summary>
/// A saved trees artifact loaded for scoring new rows (replay, live, bundles): the final seed ensemble of
/// each session group and the per-session calibrators. Calibration is required: a row whose session has no
/// calibrator is a <see cref="MissingCalibratorException"/> naming the session, the bucket and the file
/// searched, raised before anything is scored. There is no fallback to raw scores.
/// </summary>
public sealed class GbdtPredictor : IDisposable
{
    private readonly Dictionary<string, GbdtEnsemble> _groupOfSession;
    private readonly List<GbdtEnsemble> _ensembles;

    private GbdtPredictor(GbdtArtifactMetadata metadata, Dictionary<string, GbdtEnsemble> groupOfSession, List<GbdtEnsemble> ensembles, SessionCalibratorSet calibrators)
    {
        Metadata = metadata;
        _groupOfSession = groupOfSession;
        _ensembles = ensembles;
        Calibrators = calibrators;
    }

    public GbdtArtifactMetadata Metadata { get; }

    public SessionCalibratorSet Calibrators { get; }

    public IReadOnlyList<string> FeatureNames => Metadata.FeatureNames;

    public static GbdtPredictor Load(string directory)
    {
        var metadataPath = Path.Combine(directory, GbdtArtifactMetadata.FileName);
        if (!File.Exists(metadataPath))
            throw new DataException(metadataPath, "gbdt-missing", $"no {GbdtArtifactMetadata.FileName} in {directory}: not a trees artifact.");
        GbdtArtifactMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<GbdtArtifactMetadata>(File.ReadAllText(metadataPath), GbdtArtifactMetadata.Json)
                ?? throw new DataException(metadataPath, "gbdt-json", "empty metadata");
        }
        catch (JsonException e)
        {
            throw new DataException(metadataPath, e.LineNumber + 1, e.Path, "gbdt-json", e.Message, e);
        }
        ArtifactVersion.EnsureReadable(metadataPath, "trees artifact", metadata.MinReaderVersion, GbdtArtifactMetadata.CurrentSchemaVersion);
        var calibrators = SessionCalibratorSet.Load(Path.Combine(directory, metadata.Calibration.File));
        var bySession = new Dictionary<string, GbdtEnsemble>(StringComparer.Ordinal);
        var ensembles = new List<GbdtEnsemble>();
        try
        {
            foreach (var group in metadata.Groups)
            {
                var members = new List<GbdtModel>();
                foreach (var member in group.Final)
                {
                    var path = Path.Combine(directory, member.File);
                    if (!File.Exists(path)) throw new DataException(path, "model-missing", $"model file of group '{group.Name}' listed in {GbdtArtifactMetadata.FileName} does not exist.");
                    members.Add(new GbdtModel(File.ReadAllText(path), metadata.FeatureNames, member.BestIteration, member.BestValidationLogLoss, []));
                }
                var ensemble = new GbdtEnsemble(members);
                ensembles.Add(ensemble);
                foreach (var session in group.Sessions) bySession[session] = ensemble;
            }
        }
        catch
        {
            foreach (var e in ensembles) e.Dispose();
            throw;
        }
        return new GbdtPredictor(metadata, bySession, ensembles, calibrators);
    }

    /// <summary>
    /// Signals of every row of <paramref name="features"/> (a matrix, or rows read a chunk at a time);
    /// <paramref name="sessions"/> names each row's session.
    /// </summary>
    public TreeSignals Score(IFeatureRows features, IReadOnlyList<string> sessions, int threads = 2)
    {
        if (sessions.Count != features.Rows) throw new ArgumentException($"{sessions.Count} sessions for {features.Rows} rows.", nameof(sessions));
        Calibrators.Require(sessions, GbdtStage.Bucket);
        var signals = TreeSignals.Allocate(features.Rows);
        foreach (var session in sessions.Distinct().Order(StringComparer.Ordinal))
        {
            if (!_groupOfSession.TryGetValue(session, out var ensemble))
                throw new DataException(Path.Combine(Metadata.Calibration.File), null, "session", "model-missing", $"the artifact has no model for session '{session}'.");
            var rows = Enumerable.Range(0, features.Rows).Where(i => sessions[i] == session).ToArray();
            var margins = ensemble.PredictMargins(FeatureRowSubset.Of(features, rows), threads);
            var calibrator = Calibrators.Get(session, GbdtStage.Bucket);
            for (var j = 0; j < rows.Length; j++) signals.Fill(rows[j], margins, calibrator, j);
        }
        return signals;
    }

    public void Dispose()
    {
        foreach (var e in _ensembles) e.Dispose();
    }
}
