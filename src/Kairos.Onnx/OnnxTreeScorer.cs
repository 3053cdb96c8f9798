using System.Text.Json;
using Kairos.Bundles;
using Kairos.Errors;
using Kairos.Onnx;
using Kairos.Replay;
using Microsoft.ML.OnnxRuntime;

namespace Kairos.Onnx.Runtime;

/// <summary>
/// A bundle's trees in ONNX Runtime (<see cref="ITreeRowScorer"/>): one <c>trees_&lt;group&gt;.onnx</c> per session
/// group, as <c>kairos bundle export --format onnx</c> writes them (ai.onnx.ml tree ensembles, the per-session
/// calibrators and the signal arithmetic in the graph), each run on a batch of one with its input and output buffers
/// bound once. The groups are checked against the LightGBM trees they replace: the same feature columns in the same
/// order and every covered session mapped to one group. Not thread-safe.
/// </summary>
public sealed class OnnxTreeScorer : ITreeRowScorer
{
    private static readonly string[] OutputNames = ["p_hat", "margin", "p_cal", "entropy", "uncertainty_score"];

    private readonly Group?[] _groupOfSession;
    private readonly List<Group> _groups;

    private OnnxTreeScorer(List<Group> groups, Group?[] groupOfSession)
    {
        _groups = groups;
        _groupOfSession = groupOfSession;
    }

    /// <summary><c>onnx</c>: what <c>/v1/status</c> reports as <c>trees_engine</c>.</summary>
    public string Engine => "onnx";

    /// <summary>
    /// A <see cref="BundleReplayOptions.TreeLoader"/> scoring the trees with ONNX Runtime: the <c>trees_*.onnx</c> files of
    /// <paramref name="exportDirectory"/> (an export of the same bundle: bundle id and feature-contract hash are checked),
    /// or, when null, the bundle's trees exported in memory, once per loader (serve opens one scorer per symbol from the same
    /// loader; each gets its own ONNX Runtime sessions).
    /// </summary>
    public static Func<string, BundleMetadata, TreeSignalModel, ITreeRowScorer> Loader(string? exportDirectory = null)
    {
        var exported = new Dictionary<string, IReadOnlyList<TreesOnnxGroup>>(StringComparer.Ordinal);
        return (directory, metadata, trees) =>
        {
            var models = new List<(string Source, byte[]? Bytes, string? File)>();
            if (exportDirectory is null)
            {
                var treesDirectory = Path.GetFullPath(Path.Combine(directory, metadata.Components.GetValueOrDefault("trees")
                    ?? throw new VerificationException($"bundle {directory}", ["bundle_metadata.json names no 'trees' component"])));
                IReadOnlyList<TreesOnnxGroup>? groups;
                lock (exported)
                {
                    var key = $"{treesDirectory}|{metadata.BundleId}";
                    if (!exported.TryGetValue(key, out groups)) exported[key] = groups = TreesOnnxExporter.Export(treesDirectory, [], "in-memory");
                }
                foreach (var group in groups)
                    models.Add(($"bundle {directory} ({group.FileName}, exported in memory)", group.Model, null));
            }
            else
            {
                var files = Directory.Exists(exportDirectory) ? Directory.GetFiles(exportDirectory, "trees_*.onnx").Order(StringComparer.Ordinal).ToArray() : [];
                if (files.Length == 0)
                    throw new DataException(exportDirectory, "onnx-missing", "the export holds no trees_*.onnx file (kairos bundle export DIR --format onnx writes one per session group)");
                models.AddRange(files.Select(f => (f, (byte[]?)null, (string?)f)));
            }
            return Open(models, trees, exportDirectory is null ? null : metadata);
        };
    }

    private static OnnxTreeScorer Open(List<(string Source, byte[]? Bytes, string? File)> models, TreeSignalModel trees, BundleMetadata? mustMatch)
    {
        var groups = new List<Group>();
        try
        {
            var groupOfSession = new Group?[Features.SessionTable.Names.Count];
            foreach (var (source, bytes, file) in models)
            {
                var session = bytes is not null ? new InferenceSession(bytes, Options()) : new InferenceSession(file!, Options());
                var group = new Group(session, source, trees.FeatureNames.Count);
                groups.Add(group);
                var meta = session.ModelMetadata.CustomMetadataMap;
                var problems = new List<string>();
                if (meta.GetValueOrDefault("kairos.component") != "trees") problems.Add("metadata kairos.component is not 'trees'");
                if (mustMatch is not null && (meta.GetValueOrDefault("kairos.bundle_id") != mustMatch.BundleId || meta.GetValueOrDefault("kairos.feature_contract_hash") != mustMatch.FeatureContractHash))
                    problems.Add($"the export is of bundle {meta.GetValueOrDefault("kairos.bundle_id")} (contract {meta.GetValueOrDefault("kairos.feature_contract_hash")}), not of {mustMatch.BundleId} (contract {mustMatch.FeatureContractHash})");
                var names = meta.TryGetValue("kairos.feature_names", out var json) ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];
                if (!names.SequenceEqual(trees.FeatureNames, StringComparer.Ordinal))
                    problems.Add($"the model takes features [{string.Join(", ", names)}], the bundle's trees take [{string.Join(", ", trees.FeatureNames)}]");
                var sessions = meta.TryGetValue("kairos.sessions", out var s) ? JsonSerializer.Deserialize<Dictionary<string, int>>(s) ?? [] : [];
                foreach (var (name, id) in sessions)
                {
                    if (id < 0 || id >= groupOfSession.Length) problems.Add($"session {name} has id {id}, outside the session table");
                    else if (groupOfSession[id] is not null) problems.Add($"session {name} is in two groups");
                    else groupOfSession[id] = group;
                }
                if (problems.Count > 0) throw new VerificationException(source, problems);
            }
            var uncovered = Enumerable.Range(0, groupOfSession.Length).Where(id => trees.Covers(id) && groupOfSession[id] is null).ToList();
            if (uncovered.Count > 0)
                throw new VerificationException(models[0].Source, [$"no trees_*.onnx covers session(s) {string.Join(", ", uncovered.Select(id => Features.SessionTable.Names[id]))}, which the bundle's trees cover"]);
            return new OnnxTreeScorer(groups, groupOfSession);
        }
        catch
        {
            foreach (var g in groups) g.Dispose();
            throw;
        }
    }

    public TreeSignalValues Score(int sessionId, ReadOnlySpan<float> features)
    {
        var group = (uint)sessionId < (uint)_groupOfSession.Length ? _groupOfSession[sessionId] : null;
        if (group is null) throw new InvalidOperationException($"no ONNX trees cover session id {sessionId}");
        return group.Run(sessionId, features);
    }

    public void Dispose()
    {
        foreach (var g in _groups) g.Dispose();
    }

    private static SessionOptions Options() => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    private sealed class Group : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly RunOptions _run = new();
        private readonly float[] _features;
        private readonly long[] _sessionId = new long[1];
        private readonly double[][] _out = [new double[1], new double[1], new double[1], new double[1], new double[1]];
        private readonly OrtValue[] _inputs;
        private readonly OrtValue[] _outputs;
        private static readonly string[] InputNames = ["features", "session_id"];

        public Group(InferenceSession session, string source, int featureCount)
        {
            _session = session;
            if (!session.InputMetadata.TryGetValue("features", out var input) || input.Dimensions.Length != 2 || input.Dimensions[1] != featureCount)
                throw new DataException(source, "onnx-inputs", $"the model's input 'features' is not [N, {featureCount}]");
            _features = new float[featureCount];
            _inputs = [OrtValue.CreateTensorValueFromMemory(_features, [1, featureCount]), OrtValue.CreateTensorValueFromMemory(_sessionId, [1])];
            _outputs = _out.Select(o => OrtValue.CreateTensorValueFromMemory(o, [1])).ToArray();
        }

        public TreeSignalValues Run(int sessionId, ReadOnlySpan<float> features)
        {
            features.CopyTo(_features);
            _sessionId[0] = sessionId;
            _session.Run(_run, InputNames, _inputs, OutputNames, _outputs);
            return new TreeSignalValues(_out[0][0], _out[1][0], _out[2][0], _out[3][0], _out[4][0]);
        }

        public void Dispose()
        {
            foreach (var v in _inputs) v.Dispose();
            foreach (var v in _outputs) v.Dispose();
            _run.Dispose();
            _session.Dispose();
        }
    }
}
