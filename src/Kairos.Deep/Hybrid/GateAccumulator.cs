using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>Running per-branch gate statistics over an epoch (mean, std, min, max, saturated fraction).</summary>
internal sealed class GateAccumulator(IReadOnlyList<string> branches)
{
    private const double Saturation = 0.05;
    private readonly double[] _sum = new double[branches.Count];
    private readonly double[] _squares = new double[branches.Count];
    private readonly double[] _min = Enumerable.Repeat(double.PositiveInfinity, branches.Count).ToArray();
    private readonly double[] _max = Enumerable.Repeat(double.NegativeInfinity, branches.Count).ToArray();
    private readonly long[] _saturated = new long[branches.Count];
    private long _count;

    /// <summary>Adds a batch of gates <c>[B, branches]</c>.</summary>
    public void Add(Tensor gates)
    {
        var values = gates.detach().cpu().data<float>().ToArray();
        var k = branches.Count;
        for (var i = 0; i < values.Length; i++)
        {
            var b = i % k;
            double g = values[i];
            _sum[b] += g;
            _squares[b] += g * g;
            _min[b] = Math.Min(_min[b], g);
            _max[b] = Math.Max(_max[b], g);
            if (g < Saturation || g > 1 - Saturation) _saturated[b]++;
        }
        _count += values.Length / k;
    }

    public IReadOnlyList<GateStatistics> Statistics() => branches.Select((name, b) =>
    {
        var n = Math.Max(1, _count);
        var mean = _sum[b] / n;
        return new GateStatistics(name, mean, Math.Sqrt(Math.Max(0, _squares[b] / n - mean * mean)), _min[b], _max[b], (double)_saturated[b] / n);
    }).ToList();
}
