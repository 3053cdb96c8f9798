namespace Kairos.Deep.Hybrid;

/// <summary>
/// The train-split statistics the hybrid's inputs are standardised with (<see cref="InputStandardization"/>) and the
/// direction label's mean, accumulated row by row in split order (Welford's single pass, population deviation), so a
/// split held as tensors and one streamed from disk give the same values bit for bit.
/// </summary>
public sealed class StandardizationAccumulator(int contextContinuous, int treeSignals)
{
    private readonly double[] _contextMean = new double[contextContinuous];
    private readonly double[] _contextM2 = new double[contextContinuous];
    private readonly double[] _treeMean = new double[treeSignals];
    private readonly double[] _treeM2 = new double[treeSignals];
    private double _directionSum;
    private long _rows;

    /// <summary>Adds one row: its continuous context, tree signals (empty without) and direction label.</summary>
    public void Add(ReadOnlySpan<float> context, ReadOnlySpan<float> signals, float direction)
    {
        _rows++;
        Update(_contextMean, _contextM2, context);
        Update(_treeMean, _treeM2, signals);
        _directionSum += direction;
    }

    private void Update(double[] mean, double[] m2, ReadOnlySpan<float> values)
    {
        for (var k = 0; k < mean.Length; k++)
        {
            double x = values[k];
            var delta = x - mean[k];
            mean[k] += delta / _rows;
            m2[k] += delta * (x - mean[k]);
        }
    }

    /// <summary>The means and population standard deviations so far.</summary>
    public InputStandardization Standardization()
    {
        double[] Std(double[] m2) => m2.Select(v => _rows == 0 ? double.NaN : Math.Sqrt(v / _rows)).ToArray();
        return new InputStandardization(_contextMean.ToArray(), Std(_contextM2), _treeMean.ToArray(), Std(_treeM2));
    }

    /// <summary>Mean of the direction label so far (class balance).</summary>
    public double DirectionMean => _directionSum / Math.Max(1, _rows);
}
