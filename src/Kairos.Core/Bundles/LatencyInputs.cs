using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Features;

namespace Kairos.Bundles;

/// <summary>
/// The bars a latency benchmark feeds, one row per call, laid out as the models take them: the trees' raw
/// feature vector, the scaled window <c>[L, S]</c>, the scaled snapshot, the categorical and continuous context and
/// the session. Either real rows of a dataset split (<see cref="FromDataset"/>), or seeded draws from the feature
/// contract's train statistics (<see cref="Draw"/>) when no dataset is at hand.
/// </summary>
internal sealed class LatencyInputs
{
    private readonly float[] _tree;
    private readonly float[] _sequence;
    private readonly float[] _snapshot;
    private readonly int[] _contextCat;
    private readonly float[] _contextCont;
    private readonly int _treeWidth, _seqWidth, _snapWidth, _catWidth, _contWidth;

    private LatencyInputs(string description, string[] sessions, float[] tree, int treeWidth, float[] sequence, int seqWidth, float[] snapshot, int snapWidth,
        int[] contextCat, int catWidth, float[] contextCont, int contWidth)
    {
        Description = description;
        Sessions = sessions;
        (_tree, _treeWidth, _sequence, _seqWidth, _snapshot, _snapWidth) = (tree, treeWidth, sequence, seqWidth, snapshot, snapWidth);
        (_contextCat, _catWidth, _contextCont, _contWidth) = (contextCat, catWidth, contextCont, contWidth);
    }

    /// <summary>Where the rows came from, for the report.</summary>
    public string Description { get; }

    public string[] Sessions { get; }

    public ReadOnlySpan<float> TreeRow(int i) => _tree.AsSpan(i * _treeWidth, _treeWidth);
    public ReadOnlySpan<float> SequenceWindow(int i) => _sequence.AsSpan(i * _seqWidth, _seqWidth);
    public ReadOnlySpan<float> SnapshotRow(int i) => _snapshot.AsSpan(i * _snapWidth, _snapWidth);
    public ReadOnlySpan<int> ContextCategoricalRow(int i) => _contextCat.AsSpan(i * _catWidth, _catWidth);
    public ReadOnlySpan<float> ContextContinuousRow(int i) => _contextCont.AsSpan(i * _contWidth, _contWidth);

    /// <summary>
    /// <paramref name="rows"/> real bars of <paramref name="split"/> of a dataset built under the bundle's feature
    /// contract (the dataset the bundle trained on or the trees stage's enriched copy of it), in a seeded random
    /// order, cycling when the split has fewer rows. Rows of sessions the bundle has no trees for are skipped.
    /// </summary>
    public static LatencyInputs FromDataset(Bundle bundle, BundleTreeScorer trees, string directory, string split, int rows, int seed)
    {
        var reader = DatasetReader.Open(directory);
        var meta = reader.Metadata;
        var metaFile = Path.Combine(directory, DatasetReader.MetadataFile);
        if (meta.FeatureContractHash != bundle.Metadata.FeatureContractHash)
            throw new VerificationException($"dataset {directory}", [$"feature_contract_hash is {meta.FeatureContractHash}, the bundle's is {bundle.Metadata.FeatureContractHash}: its rows are not inputs of this bundle"]);
        if (!reader.SplitNames.Contains(split))
            throw new DataException(metaFile, null, "splits", "split-missing", $"the dataset has no split '{split}' (it has {string.Join(", ", reader.SplitNames)})");
        var data = reader.ReadSplit(split);
        var file = Path.Combine(directory, meta.Split(split).File);
        var known = trees.Sessions.ToHashSet(StringComparer.Ordinal);
        var sessionIds = data.Int("session_id");
        var usable = Enumerable.Range(0, data.Rows).Where(i => sessionIds[i] >= 0 && sessionIds[i] < SessionTable.Names.Count && known.Contains(SessionTable.Names[sessionIds[i]])).ToArray();
        if (usable.Length == 0)
            throw new DataException(file, "no-rows", $"split '{split}' has no row of a session the bundle scores ({string.Join(", ", known.Order(StringComparer.Ordinal))})");
        new Random(seed).Shuffle(usable);

        var treeColumns = trees.FeatureNames.Select(name => data.Has(name) ? data.Columns.First(c => c.Key == name).Value
            : throw new DataException(file, null, name, "column-missing", "the split lacks a feature of the bundle's trees")).ToArray();
        var windows = reader.BuildWindows(data);
        var snapshot = reader.BuildSnapshotMatrix(data);
        var continuous = reader.BuildContextContinuous(data);
        var categorical = reader.BuildContextCategorical(data);
        var m = bundle.Metadata;
        var (treeWidth, seqWidth, snapWidth, catWidth, contWidth) = (treeColumns.Length, m.SeqLen * m.NSeqFeatures, m.NSnapFeatures, m.ExpectedCtxCatDim, m.ExpectedCtxContDim);
        if (windows.Shape[1] * windows.Shape[2] != seqWidth || snapshot.Shape[1] != snapWidth || continuous.Shape[1] != contWidth || categorical.Length != data.Rows * catWidth)
            throw new VerificationException($"dataset {directory}", ["its model inputs do not have the bundle's shapes (seq_len x sequence features, snapshot, context)"]);

        var tree = new float[rows * treeWidth];
        var sequence = new float[rows * seqWidth];
        var snap = new float[rows * snapWidth];
        var cat = new int[rows * catWidth];
        var cont = new float[rows * contWidth];
        var sessions = new string[rows];
        for (var i = 0; i < rows; i++)
        {
            var r = usable[i % usable.Length];
            sessions[i] = SessionTable.Names[sessionIds[r]];
            for (var j = 0; j < treeWidth; j++)
                tree[i * treeWidth + j] = treeColumns[j] switch
                {
                    double[] d => (float)d[r],
                    int[] k => k[r],
                    var other => throw new DataException(file, null, trees.FeatureNames[j], "column-type", $"expected DOUBLE or INT32, found {other.GetType().Name}"),
                };
            Array.Copy(windows.Data, (long)r * seqWidth, sequence, (long)i * seqWidth, seqWidth);
            Array.Copy(snapshot.Data, (long)r * snapWidth, snap, (long)i * snapWidth, snapWidth);
            Array.Copy(categorical, (long)r * catWidth, cat, (long)i * catWidth, catWidth);
            Array.Copy(continuous.Data, (long)r * contWidth, cont, (long)i * contWidth, contWidth);
        }
        var description = $"{rows} real bars of the '{split}' split of dataset {meta.Id} ({usable.Length} distinct rows, seeded order {seed})";
        return new LatencyInputs(description, sessions, tree, treeWidth, sequence, seqWidth, snap, snapWidth, cat, catWidth, cont, contWidth);
    }

    /// <summary>
    /// Seeded synthetic bars: normal with each feature's scaler mean and standard deviation, categorical context
    /// uniform over its values, sessions uniform over the bundle's.
    /// </summary>
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
        float DrawFeature(string name) =>
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
            for (var j = 0; j < treeWidth; j++) tree[i * treeWidth + j] = DrawFeature(trees.FeatureNames[j]);
            for (var j = 0; j < seqWidth; j++) sequence[i * seqWidth + j] = (float)Normal();
            for (var j = 0; j < snapWidth; j++) snapshot[i * snapWidth + j] = (float)Normal();
            for (var j = 0; j < catWidth; j++) contextCat[i * catWidth + j] = j < catNames.Length ? random.Next(categorical[catNames[j]]) : 0;
            for (var j = 0; j < contWidth; j++) contextCont[i * contWidth + j] = (float)Normal();
        }
        var description = $"{rows} bars drawn with seed {seed} from the feature contract's train statistics";
        return new LatencyInputs(description, chosen, tree, treeWidth, sequence, seqWidth, snapshot, snapWidth, contextCat, catWidth, contextCont, contWidth);
    }
}
