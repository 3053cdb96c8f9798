using Kairos.Calibration;
using Kairos.Trees;

namespace Kairos.Onnx;

/// <summary>
/// One session group's trees as an ONNX model computing the five tree signals of <see cref="TreeSignals"/> for a batch
/// of rows. Inputs: <c>features</c> float <c>[N, F]</c> (the trees' features in <c>feature_names</c> order, as float32, the
/// way Kairos hands them to LightGBM) and <c>session_id</c> int64 <c>[N]</c> (Kairos session ids: ASIA 0, EU 1, OVERLAP 2,
/// US 3). Graph: an ai.onnx.ml <c>TreeEnsembleRegressor</c> giving every tree's leaf value (<see cref="TreeEnsembleNodes"/>),
/// summed per member in double (member raw scores, <c>member_margins</c> double <c>[N, E]</c>), then in double:
/// <c>margin</c> = their mean, <c>p_hat</c> = sigmoid(margin),
/// every member score and the margin through the calibrator of the row's session (Platt:
/// <c>sigmoid(-(a s + b))</c>; isotonic: clip to the fitted range and interpolate linearly between the kept points,
/// searchsorted-left as scikit-learn), <c>p_cal</c>, <c>entropy</c> (bits) and <c>uncertainty_score</c> (BALD, clamped at 0).
/// Every output is double <c>[N]</c>; a row whose session the group does not cover gets NaN signals (Kairos refuses it).
/// </summary>
public static class TreeSignalGraph
{
    public const string FeaturesInput = "features";
    public const string SessionInput = "session_id";
    public const string MemberMarginsOutput = "member_margins";

    /// <summary>The model's bytes.</summary>
    public static byte[] Build(string group, IReadOnlyList<string> featureNames, IReadOnlyList<(int SessionId, ICalibrator Calibrator)> sessions,
        TreeEnsembleNodes members, string producerVersion, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        if (sessions.Count == 0) throw new ArgumentException($"group {group} covers no session", nameof(sessions));
        var g = new OnnxGraphBuilder($"kairos_trees_{group}");
        var e = members.Members;
        var features = g.Input(FeaturesInput, OnnxElementType.Float, ["N", featureNames.Count],
            "tree features in feature_names order (metadata), float32, unscaled; categorical context as its integer id");
        var session = g.Input(SessionInput, OnnxElementType.Int64, ["N"], "Kairos session id of each row (ASIA 0, EU 1, OVERLAP 2, US 3)");

        // Two float targets per tree (leaf value and remainder), summed per member in double by a 0/1 matrix.
        var leaves = g.Node("TreeEnsembleRegressor", OnnxGraphBuilder.MlDomain, [features], 1, members.Attributes())[0];
        var perMember = new double[members.Targets * e];
        for (var t = 0; t < members.TreeCount; t++)
        {
            perMember[2 * t * e + members.MemberOfTree[t]] = 1;
            perMember[(2 * t + 1) * e + members.MemberOfTree[t]] = 1;
        }
        var sum = g.Constant("member_sum", n => OnnxTensor.Doubles(n, perMember, members.Targets, e));
        var s = g.Node("MatMul", [g.Node("Cast", [leaves], OnnxAttribute.Int("to", (long)OnnxElementType.Double)), sum]);
        var margin = g.Node("ReduceMean", [s], OnnxAttribute.Ints("axes", [1]), OnnxAttribute.Int("keepdims", 1));
        var pHat = g.Node("Sigmoid", [margin]);

        // Calibrate [members..., margin] with the row's session's calibrator; NaN where no session matches.
        var all = g.Node("Concat", [s, margin], OnnxAttribute.Int("axis", 1));
        var sessionColumn = g.Node("Unsqueeze", [session, g.Int64s("axis", 1)]);
        var calibrated = g.ScalarDouble("uncovered", double.NaN);
        foreach (var (id, calibrator) in sessions)
        {
            var value = Calibrate(g, all, calibrator);
            var match = g.Node("Equal", [sessionColumn, g.ScalarInt64("session", id)]);
            calibrated = g.Node("Where", [match, value, calibrated]);
        }
        var pCal = Column(g, calibrated, e, e + 1);
        var memberP = Column(g, calibrated, 0, e);
        var entropy = EntropyBits(g, pCal);
        var meanMemberP = g.Node("ReduceMean", [memberP], OnnxAttribute.Ints("axes", [1]), OnnxAttribute.Int("keepdims", 1));
        var meanMemberEntropy = g.Node("ReduceMean", [EntropyBits(g, memberP)], OnnxAttribute.Ints("axes", [1]), OnnxAttribute.Int("keepdims", 1));
        var uncertainty = g.Node("Max", [g.Node("Sub", [EntropyBits(g, meanMemberP), meanMemberEntropy]), g.ScalarDouble("zero", 0)]);

        var axis = g.Int64s("axis", 1);
        foreach (var (name, value, doc) in new[]
                 {
                     ("p_hat", pHat, "sigmoid(margin): the uncalibrated probability that y_direction = 1"),
                     ("margin", margin, "mean raw score (log-odds) of the ensemble members"),
                     ("p_cal", pCal, "the session's calibrator applied to margin"),
                     ("entropy", entropy, "binary entropy of p_cal in bits"),
                     ("uncertainty_score", uncertainty, "H(mean_m p_m) - mean_m H(p_m) in bits, p_m the calibrated member probabilities"),
                 })
            g.Output(name, g.Node("Squeeze", [value, axis]), OnnxElementType.Double, ["N"], doc);
        g.Output(MemberMarginsOutput, s, OnnxElementType.Double, ["N", e], "raw score of each ensemble member");
        return g.ToModel(producerVersion, $"Kairos tree signals of session group {group}: {e} LightGBM models averaged, per-session calibration", metadata);
    }

    private static string Column(OnnxGraphBuilder g, string x, int from, int to) =>
        g.Node("Slice", [x, g.Int64s("start", from), g.Int64s("end", to), g.Int64s("axis", 1)]);

    private static string Calibrate(OnnxGraphBuilder g, string scores, ICalibrator calibrator)
    {
        switch (calibrator)
        {
            case PlattCalibrator platt:
                // 1 / (1 + exp(a s + b)) = sigmoid(-(a s + b)) = sigmoid((-a) s + (-b)).
                var z = g.Node("Add", [g.Node("Mul", [scores, g.ScalarDouble("neg_a", -platt.A)]), g.ScalarDouble("neg_b", -platt.B)]);
                return g.Node("Sigmoid", [z]);
            case IsotonicCalibrator isotonic:
                return Isotonic(g, scores, isotonic);
            default:
                throw new NotSupportedException($"calibrator {calibrator.Method} has no ONNX form");
        }
    }

    private static string Isotonic(OnnxGraphBuilder g, string scores, IsotonicCalibrator isotonic)
    {
        var x = isotonic.Thresholds.ToArray();
        var y = isotonic.Values.ToArray();
        var n = x.Length;
        if (n == 1)
            return g.Node("Add", [g.Node("Mul", [scores, g.ScalarDouble("zero", 0)]), g.ScalarDouble("value", y[0])]);
        var xs = g.Constant("iso_x", name => OnnxTensor.Doubles(name, x, n));
        var ys = g.Constant("iso_y", name => OnnxTensor.Doubles(name, y, n));
        var t = g.Node("Clip", [scores, g.ScalarDouble("lo", x[0]), g.ScalarDouble("hi", x[n - 1])]);
        // searchsorted(x, t, "left") = how many x are below t; then clamped to [1, n - 1].
        var below = g.Node("Less", [xs, g.Node("Unsqueeze", [t, g.Int64s("axis", -1)])]);
        var count = g.Node("ReduceSum", [g.Node("Cast", [below], OnnxAttribute.Int("to", (long)OnnxElementType.Int64)), g.Int64s("axis", -1)],
            OnnxAttribute.Int("keepdims", 0));
        var hi = g.Node("Min", [g.Node("Max", [count, g.ScalarInt64("one", 1)]), g.ScalarInt64("last", n - 1)]);
        var lo = g.Node("Sub", [hi, g.ScalarInt64("one", 1)]);
        var xLo = g.Node("Gather", [xs, lo]);
        var xHi = g.Node("Gather", [xs, hi]);
        var yLo = g.Node("Gather", [ys, lo]);
        var yHi = g.Node("Gather", [ys, hi]);
        var slope = g.Node("Div", [g.Node("Sub", [yHi, yLo]), g.Node("Sub", [xHi, xLo])]);
        return g.Node("Add", [g.Node("Mul", [slope, g.Node("Sub", [t, xLo])]), yLo]);
    }

    /// <summary>Binary entropy in bits, 0 where p is 0 or 1 (or outside).</summary>
    private static string EntropyBits(OnnxGraphBuilder g, string p)
    {
        var zero = g.ScalarDouble("zero", 0);
        var one = g.ScalarDouble("one", 1);
        var inside = g.Node("And", [g.Node("Greater", [p, zero]), g.Node("Less", [p, one])]);
        var safe = g.Node("Where", [inside, p, g.ScalarDouble("half", 0.5)]);
        var q = g.Node("Sub", [one, safe]);
        var nats = g.Node("Add", [g.Node("Mul", [safe, g.Node("Log", [safe])]), g.Node("Mul", [q, g.Node("Log", [q])])]);
        var bits = g.Node("Div", [nats, g.ScalarDouble("minus_ln2", -Math.Log(2))]);
        return g.Node("Where", [inside, bits, zero]);
    }
}
