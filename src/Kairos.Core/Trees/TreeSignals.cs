using Kairos.Calibration;

namespace Kairos.Trees;

/// <summary>
/// The five tree signals of every row (see docs/signals.md), computed from the raw scores of an ensemble
/// of <c>E</c> models that differ only in seed, and the calibrator of the row's session:
/// <list type="bullet">
/// <item><c>margin</c>: mean raw score (log-odds) of the members;</item>
/// <item><c>p_hat</c>: <c>sigmoid(margin)</c>, the uncalibrated probability;</item>
/// <item><c>p_cal</c>: the calibrator applied to <c>margin</c>;</item>
/// <item><c>entropy</c>: binary entropy of <c>p_cal</c> in bits (0 = certain, 1 = coin flip): total uncertainty;</item>
/// <item><c>uncertainty_score</c>: the epistemic part, the mutual information between the prediction and the
/// ensemble member (BALD, Houlsby et al. 2011): <c>H(mean_m p_m) - mean_m H(p_m)</c> in bits, where
/// <c>p_m</c> is the calibrator applied to member <c>m</c>'s score. 0 when the members agree; it grows
/// where the trees are unsure because data is thin, not because the outcome is noisy.</item>
/// </list>
/// </summary>
public sealed class TreeSignals
{
    public static readonly IReadOnlyList<string> ColumnNames = ["p_hat", "margin", "p_cal", "entropy", "uncertainty_score"];

    private TreeSignals(double[] pHat, double[] margin, double[] pCal, double[] entropy, double[] uncertaintyScore)
    {
        PHat = pHat;
        Margin = margin;
        PCal = pCal;
        Entropy = entropy;
        UncertaintyScore = uncertaintyScore;
    }

    public double[] PHat { get; }
    public double[] Margin { get; }
    public double[] PCal { get; }
    public double[] Entropy { get; }
    public double[] UncertaintyScore { get; }

    public int Rows => Margin.Length;

    /// <summary>The columns in <see cref="ColumnNames"/> order.</summary>
    public IReadOnlyList<double[]> Columns => [PHat, Margin, PCal, Entropy, UncertaintyScore];

    /// <summary>Signals of <paramref name="memberMargins"/>[m][i] (member m, row i), all rows through one calibrator.</summary>
    public static TreeSignals Compute(IReadOnlyList<double[]> memberMargins, ICalibrator calibrator)
    {
        var n = CheckMembers(memberMargins);
        var result = Allocate(n);
        for (var i = 0; i < n; i++) result.Fill(i, memberMargins, calibrator);
        return result;
    }

    /// <summary>An empty set of <paramref name="rows"/> rows to fill with <see cref="Fill"/>.</summary>
    internal static TreeSignals Allocate(int rows) =>
        new(new double[rows], new double[rows], new double[rows], new double[rows], new double[rows]);

    /// <summary>Fills row <paramref name="row"/> from row <paramref name="sourceRow"/> of the member scores.</summary>
    internal void Fill(int row, IReadOnlyList<double[]> memberMargins, ICalibrator calibrator, int? sourceRow = null)
    {
        var i = sourceRow ?? row;
        var members = memberMargins.Count;
        double sum = 0, meanMemberP = 0, meanMemberEntropy = 0;
        for (var m = 0; m < members; m++)
        {
            var score = memberMargins[m][i];
            sum += score;
            var p = calibrator.Apply(score);
            meanMemberP += p;
            meanMemberEntropy += EntropyBits(p);
        }
        var margin = sum / members;
        meanMemberP /= members;
        meanMemberEntropy /= members;
        var pCal = calibrator.Apply(margin);
        Margin[row] = margin;
        PHat[row] = Sigmoid(margin);
        PCal[row] = pCal;
        Entropy[row] = EntropyBits(pCal);
        UncertaintyScore[row] = Math.Max(0, EntropyBits(meanMemberP) - meanMemberEntropy);
    }

    /// <summary>Copies row <paramref name="sourceRow"/> of <paramref name="source"/> into row <paramref name="row"/>.</summary>
    internal void CopyRow(int row, TreeSignals source, int sourceRow)
    {
        PHat[row] = source.PHat[sourceRow];
        Margin[row] = source.Margin[sourceRow];
        PCal[row] = source.PCal[sourceRow];
        Entropy[row] = source.Entropy[sourceRow];
        UncertaintyScore[row] = source.UncertaintyScore[sourceRow];
    }

    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>Binary entropy in bits; 0 at p = 0 or 1, 1 at p = 0.5.</summary>
    public static double EntropyBits(double p)
    {
        if (p <= 0 || p >= 1) return 0;
        return -(p * Math.Log2(p) + (1 - p) * Math.Log2(1 - p));
    }

    private static int CheckMembers(IReadOnlyList<double[]> memberMargins)
    {
        if (memberMargins.Count == 0) throw new ArgumentException("At least one ensemble member is needed.", nameof(memberMargins));
        var n = memberMargins[0].Length;
        if (memberMargins.Any(m => m.Length != n))
            throw new ArgumentException("Every member must score the same rows.", nameof(memberMargins));
        return n;
    }
}
