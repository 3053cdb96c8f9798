using Kairos.Errors;

namespace Kairos.Onnx;

/// <summary>
/// LightGBM trees rewritten as the node arrays of an ONNX-ML <c>TreeEnsembleRegressor</c> (ai.onnx.ml opset 3) whose
/// targets are the trees' leaf values themselves, two per tree: target <c>2t</c> is tree <c>t</c>'s leaf value rounded to
/// float, target <c>2t + 1</c> the remainder (also a float), so that their sum in double is the leaf value to double
/// precision. (ONNX Runtime sums float32 targets in float32; one tree per target sums nothing, and a member's raw score
/// is then summed in double after the ensemble, as LightGBM sums it, instead of carrying float32 rounding of ~1e-7 that
/// a steep isotonic calibrator would magnify.) <see cref="MemberOfTree"/> says which ensemble member each tree belongs
/// to. Decisions are LightGBM's for a float32 feature row:
/// <list type="bullet">
/// <item>numerical split <c>x &lt;= t</c> (t a double): <c>BRANCH_LEQ</c> against the largest float not above t, which for
/// a float x decides the same way; a missing value (NaN) goes where LightGBM sends it: the default child for missing
/// type NaN, the side of 0 for missing type none (LightGBM reads NaN as 0 there). Missing type zero
/// (<c>zero_as_missing</c>, which Kairos never sets) is refused;</item>
/// <item>categorical split (category <c>trunc(x)</c> in a bitset goes left; NaN and negative categories go right):
/// <c>x &lt;= -1</c> first (NaN tracks true), then a balanced search over the integer boundaries where membership
/// changes (<c>BRANCH_LT</c> at integers), each interval ending in a copy of the child subtree it selects;</item>
/// <item>leaves: the leaf value (shrinkage included) split into its float part and the float remainder.</item>
/// </list>
/// </summary>
public sealed class TreeEnsembleNodes
{
    /// <summary>Copies of subtrees under categorical splits multiply; a tree past this many ONNX nodes is refused.</summary>
    public const int MaxNodesPerTree = 1_000_000;

    private readonly List<long> _treeIds = [], _nodeIds = [], _featureIds = [], _trueIds = [], _falseIds = [], _missingTrue = [];
    private readonly List<string> _modes = [];
    private readonly List<float> _values = [];
    private readonly List<long> _targetTree = [], _targetNode = [], _targetId = [];
    private readonly List<float> _targetWeight = [];
    private int _trees;
    private int _nodesInTree;
    private int _treeStart;

    private readonly List<int> _memberOfTree = [];

    /// <summary>Ensemble members added.</summary>
    public int Members { get; private set; }

    /// <summary>Regression targets: two per tree.</summary>
    public int Targets => 2 * _trees;

    /// <summary>The member each tree belongs to, in tree order.</summary>
    public IReadOnlyList<int> MemberOfTree => _memberOfTree;

    public int TreeCount => _trees;
    public int NodeCount => _nodeIds.Count;

    /// <summary>Adds every tree of <paramref name="model"/> as the trees of the next ensemble member.</summary>
    public void AddMember(LightGbmTextModel model, string source)
    {
        var member = Members++;
        foreach (var tree in model.Trees)
        {
            var treeId = _trees++;
            _memberOfTree.Add(member);
            var target = 2 * treeId;
            _nodesInTree = 0;
            _treeStart = _nodeIds.Count;
            Emit(tree, treeId, target, tree.NumLeaves == 1 ? ~0 : 0, source);
        }
    }

    /// <summary>The <c>TreeEnsembleRegressor</c> attributes (aggregate SUM, no post transform, base value 0).</summary>
    public OnnxAttribute[] Attributes() =>
    [
        OnnxAttribute.String("aggregate_function", "SUM"),
        OnnxAttribute.Int("n_targets", Targets),
        OnnxAttribute.Ints("nodes_treeids", _treeIds),
        OnnxAttribute.Ints("nodes_nodeids", _nodeIds),
        OnnxAttribute.Ints("nodes_featureids", _featureIds),
        OnnxAttribute.Strings("nodes_modes", _modes),
        OnnxAttribute.Floats("nodes_values", _values),
        OnnxAttribute.Ints("nodes_truenodeids", _trueIds),
        OnnxAttribute.Ints("nodes_falsenodeids", _falseIds),
        OnnxAttribute.Ints("nodes_missing_value_tracks_true", _missingTrue),
        OnnxAttribute.String("post_transform", "NONE"),
        OnnxAttribute.Ints("target_treeids", _targetTree),
        OnnxAttribute.Ints("target_nodeids", _targetNode),
        OnnxAttribute.Ints("target_ids", _targetId),
        OnnxAttribute.Floats("target_weights", _targetWeight),
    ];

    /// <summary>The largest float not greater than <paramref name="threshold"/>: for a float x, x &lt;= it exactly when x &lt;= threshold.</summary>
    public static float FloatAtMost(double threshold)
    {
        var f = (float)threshold;
        return f > threshold ? MathF.BitDecrement(f) : f;
    }

    /// <summary>Emits LightGBM node <paramref name="node"/> (negative: leaf ~node) and its subtree; returns its ONNX node id.</summary>
    private long Emit(LightGbmTree tree, int treeId, int target, int node, string source)
    {
        if (node < 0)
        {
            var leaf = Add(treeId, "LEAF", 0, 0, 0);
            var value = tree.LeafValue[~node];
            var high = (float)value;
            _targetTree.Add(treeId);
            _targetNode.Add(leaf);
            _targetId.Add(target);
            _targetWeight.Add(high);
            _targetTree.Add(treeId);
            _targetNode.Add(leaf);
            _targetId.Add(target + 1);
            _targetWeight.Add((float)(value - high));
            return leaf;
        }
        var feature = tree.SplitFeature[node];
        var decision = tree.DecisionType[node];
        if ((decision & 1) == 0)
        {
            var missing = (decision >> 2) & 3;
            var threshold = tree.Threshold[node];
            var nanGoesLeft = missing switch
            {
                0 => 0.0 <= threshold,
                2 => (decision & 2) != 0,
                _ => throw new DataException(source, null, "decision_type", "lightgbm-unsupported",
                    $"tree {treeId}: a split treats zero as missing (zero_as_missing), which does not convert"),
            };
            var id = Add(treeId, "BRANCH_LEQ", feature, FloatAtMost(threshold), nanGoesLeft ? 1 : 0);
            SetChildren(id, Emit(tree, treeId, target, tree.LeftChild[node], source), Emit(tree, treeId, target, tree.RightChild[node], source));
            return id;
        }

        var categories = Categories(tree, (int)tree.Threshold[node]);
        // x <= -1 (or NaN): a negative category, always right.
        var root = Add(treeId, "BRANCH_LEQ", feature, -1f, 1);
        var right = Emit(tree, treeId, target, tree.RightChild[node], source);
        // Boundaries k (1 <= k <= max + 1) where membership of category k - 1 and k differ; category 0 covers (-1, 1).
        var max = categories.Max();
        var boundaries = Enumerable.Range(1, max + 1).Where(k => categories.Contains(k - 1) != categories.Contains(k)).ToArray();
        var search = Search(tree, treeId, target, node, feature, boundaries, 0, boundaries.Length, categories.Contains(0), source);
        SetChildren(root, right, search);
        return root;
    }

    /// <summary>
    /// The subtree deciding among intervals <c>[b[lo-1], b[lo]) .. [b[hi-1], b[hi])</c> (the first one starting at -1, the last
    /// ending at infinity); <paramref name="firstIn"/> says whether the first is in the category set (membership alternates).
    /// </summary>
    private long Search(LightGbmTree tree, int treeId, int target, int node, int feature, int[] b, int lo, int hi, bool firstIn, string source)
    {
        if (lo == hi)
            return Emit(tree, treeId, target, firstIn ? tree.LeftChild[node] : tree.RightChild[node], source);
        var mid = (lo + hi) / 2;
        var id = Add(treeId, "BRANCH_LT", feature, b[mid], 0);
        var below = Search(tree, treeId, target, node, feature, b, lo, mid, firstIn, source);
        var above = Search(tree, treeId, target, node, feature, b, mid + 1, hi, (mid + 1 - lo) % 2 == 0 ? firstIn : !firstIn, source);
        SetChildren(id, below, above);
        return id;
    }

    private static HashSet<int> Categories(LightGbmTree tree, int index)
    {
        var set = new HashSet<int>();
        for (var w = tree.CatBoundaries[index]; w < tree.CatBoundaries[index + 1]; w++)
            for (var bit = 0; bit < 32; bit++)
                if ((tree.CatThreshold[w] >> bit & 1) != 0) set.Add((w - tree.CatBoundaries[index]) * 32 + bit);
        return set.Count > 0 ? set : [-1];
    }

    private long Add(int treeId, string mode, int feature, float value, int missingTracksTrue)
    {
        if (++_nodesInTree > MaxNodesPerTree)
            throw new InvalidOperationException($"tree {treeId} needs more than {MaxNodesPerTree} ONNX nodes (categorical splits copy subtrees)");
        var id = (long)_nodesInTree - 1;
        _treeIds.Add(treeId);
        _nodeIds.Add(id);
        _featureIds.Add(feature);
        _modes.Add(mode);
        _values.Add(value);
        _trueIds.Add(0);
        _falseIds.Add(0);
        _missingTrue.Add(missingTracksTrue);
        return id;
    }

    private void SetChildren(long id, long trueChild, long falseChild)
    {
        var index = _treeStart + (int)id;
        _trueIds[index] = trueChild;
        _falseIds[index] = falseChild;
    }
}
