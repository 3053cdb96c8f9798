namespace Kairos.Onnx;

/// <summary>
/// One tree of a LightGBM text model, as the file stores it: internal nodes <c>0 .. num_leaves - 2</c> with their split
/// feature, threshold (a category-set index for categorical splits), <c>decision_type</c> bits (1 categorical, 2 default
/// left, 4-8 missing type: 0 none, 1 zero, 2 NaN) and children (a negative child <c>c</c> is leaf <c>~c</c>); leaf values
/// already include the shrinkage. Categorical splits send a category to the left when its bit is set in
/// <c>cat_threshold[cat_boundaries[i] .. cat_boundaries[i + 1]]</c>.
/// </summary>
public sealed record LightGbmTree(
    int NumLeaves,
    int[] SplitFeature,
    double[] Threshold,
    int[] DecisionType,
    int[] LeftChild,
    int[] RightChild,
    double[] LeafValue,
    int[] CatBoundaries,
    uint[] CatThreshold);
