using System.Text.Json.Nodes;
using Kairos.Errors;

namespace Kairos.Bundles;

/// <summary>
/// Single-sample, single-thread, warm inference latency of a bundle, per bar: the feature vector through the
/// session's trees and calibrator (stage <c>trees_calibration</c>), and, when the hybrid model is given, the
/// whole path feature vector -> trees -> calibration -> hybrid forward (stage <c>full_path</c>). Inputs are
/// drawn (seeded) from the feature contract's train statistics: normal with each feature's scaler mean and
/// standard deviation, categorical context uniform over its values, sessions uniform over the bundle's.
/// </summary>
public static class BundleLatencyBenchmark
{
    public const string TreesStage = "trees_calibration";
    public const string FullPathStage = "full_path";

    public static LatencyMeasurement Run(Bundle bundle, IHybridLatencyModel? hybrid, BundleLatencyOptions options, TimeProvider time)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ConfigException("bench latency", problems);
        using var trees = BundleTreeScorer.Open(bundle);
        var inputs = LatencyInputs.Draw(bundle, trees, options.WarmUp + options.Samples, options.Seed);
        double sink = 0;

        var treeSamples = LatencyHarness.Measure(i =>
        {
            var s = trees.Score(inputs.Sessions[i], inputs.TreeRow(i));
            sink += s.PCal;
        }, options.Samples, options.WarmUp);
        var stages = new List<LatencyStage> { LatencySummary.FromSamples(treeSamples).ToStage(TreesStage, options.TreesTargetP99Us) };

        ModelCardLatency? full = null;
        if (hybrid is not null)
        {
            var fullSamples = LatencyHarness.Measure(i =>
            {
                var s = trees.Score(inputs.Sessions[i], inputs.TreeRow(i));
                sink += hybrid.Forward(inputs.SequenceWindow(i), inputs.SnapshotRow(i), inputs.ContextCategoricalRow(i), inputs.ContextContinuousRow(i), s);
            }, options.Samples, options.WarmUp);
            var summary = LatencySummary.FromSamples(fullSamples);
            stages.Add(summary.ToStage(FullPathStage, options.FullPathTargetP99Us));
            full = summary.ToCardMilliseconds();
        }
        if (!double.IsFinite(sink)) throw new InvalidOperationException("inference produced a non-finite probability during the latency benchmark");

        var report = new LatencyReport
        {
            MeasuredAt = time.GetUtcNow(),
            Machine = LatencyHarness.CurrentMachine(),
            Stages = stages,
            Inputs = $"{options.Samples} bars (+{options.WarmUp} warm-up) drawn with seed {options.Seed} from the feature contract's train statistics",
        };
        return new LatencyMeasurement(full, report);
    }

    /// <summary>Seeded synthetic inputs shaped by the feature contract.</summary>
    private sealed class LatencyInputs
    {
        private readonly float[] _tree;
        private readonly float[] _sequence;
        private readonly float[] _snapshot;
        private readonly int[] _contextCat;
        private readonly float[] _contextCont;
        private readonly int _treeWidth, _seqWidth, _snapWidth, _catWidth, _contWidth;

        private LatencyInputs(string[] sessions, float[] tree, int treeWidth, float[] sequence, int seqWidth, float[] snapshot, int snapWidth,
            int[] contextCat, int catWidth, float[] contextCont, int contWidth)
        {
            Sessions = sessions;
            (_tree, _treeWidth, _sequence, _seqWidth, _snapshot, _snapWidth) = (tree, treeWidth, sequence, seqWidth, snapshot, snapWidth);
            (_contextCat, _catWidth, _contextCont, _contWidth) = (contextCat, catWidth, contextCont, contWidth);
        }

        public string[] Sessions { get; }

        public ReadOnlySpan<float> TreeRow(int i) => _tree.AsSpan(i * _treeWidth, _treeWidth);
        public ReadOnlySpan<float> SequenceWindow(int i) => _sequence.AsSpan(i * _seqWidth, _seqWidth);
        public ReadOnlySpan<float> SnapshotRow(int i) => _snapshot.AsSpan(i * _snapWidth, _snapWidth);
        public ReadOnlySpan<int> ContextCategoricalRow(int i) => _contextCat.AsSpan(i * _catWidth, _catWidth);
        public ReadOnlySpan<float> ContextContinuousRow(int i) => _contextCont.AsSpan(i * _contWidth, _contWidth);

        public static LatencyInputs Draw(Bundle bundle, BundleTreeScorer trees, int rows, int seed)
        {
            var contract = JsonNode.Parse(File.ReadAllText(bundle.PathOf(BundleFormat.FeatureContractFile))) as JsonObject
                ?? throw new VerificationException($"bundle {bundle.Directory}", ["feature_contract.json is not an object"]);
            var random = new Random(seed);
            var continuous = new Dictionary<string, (double Mean, double Std)>(StringComparer.Ordinal);
            var categorical = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var list in new[] { "sequence_features", "snapshot_features", "context_continuous" })
                foreach (var f in contract[list] as JsonArray ?? [])
                    continuous[(string)f!["name"]!] = ((double?)f["mean"] ?? 0, (double?)f["std"] ?? 1);
            foreach (var f in contract["context_categorical"] as JsonArray ?? [])
                categorical[(string)f!["name"]!] = (int?)f["cardinality"] ?? 1;

            double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            float Draw(string name) =>
                categorical.TryGetValue(name, out var cardinality) ? random.Next(cardinality)
                : continuous.TryGetValue(name, out var stats) ? (float)(stats.Mean + stats.Std * Normal())
                : (float)Normal();

            var sessions = trees.Sessions.Order(StringComparer.Ordinal).ToArray();
            var m = bundle.Metadata;
            var (treeWidth, seqWidth, snapWidth) = (trees.FeatureNames.Count, m.SeqLen * m.NSeqFeatures, m.NSnapFeatures);
            var catNames = categorical.Keys.ToArray();
            var (catWidth, contWidth) = (m.ExpectedCtxCatDim, m.ExpectedCtxContDim);
            var tree = new float[rows * treeWidth];
            var sequence = new float[rows * seqWidth];
            var snapshot = new float[rows * snapWidth];
            var contextCat = new int[rows * catWidth];
            var contextCont = new float[rows * contWidth];
            var chosen = new string[rows];
            for (var i = 0; i < rows; i++)
            {
                chosen[i] = sessions[random.Next(sessions.Length)];
                for (var j = 0; j < treeWidth; j++) tree[i * treeWidth + j] = Draw(trees.FeatureNames[j]);
                for (var j = 0; j < seqWidth; j++) sequence[i * seqWidth + j] = (float)Normal();
                for (var j = 0; j < snapWidth; j++) snapshot[i * snapWidth + j] = (float)Normal();
                for (var j = 0; j < catWidth; j++) contextCat[i * catWidth + j] = j < catNames.Length ? random.Next(categorical[catNames[j]]) : 0;
                for (var j = 0; j < contWidth; j++) contextCont[i * contWidth + j] = (float)Normal();
            }
            return new LatencyInputs(chosen, tree, treeWidth, sequence, seqWidth, snapshot, snapWidth, contextCat, catWidth, contextCont, contWidth);
        }
    }
}
