using Kairos.Trees.Native;

namespace Kairos.Trees;

/// <summary>
/// Raw scores of one row at a time through LightGBM's single-row fast path (created by
/// <see cref="LightGbmBooster.CreateRowPredictor"/>): no allocation and no prediction setup per call. The fast
/// configuration is held in a safe handle; the predictor keeps its booster's handle alive until it is disposed, so the
/// order in which the two are disposed does not matter. Not thread-safe.
/// </summary>
public sealed unsafe class LightGbmRowPredictor : IDisposable
{
    /// <summary>The thread count of the single-row fast path (one row needs no parallel region).</summary>
    internal const int Threads = 1;

    private readonly FastConfigSafeHandle _config;
    private readonly BoosterSafeHandle _booster;
    private bool _boosterReferenced;

    internal LightGbmRowPredictor(FastConfigSafeHandle config, BoosterSafeHandle booster, int featureCount)
    {
        _config = config;
        _booster = booster;
        _booster.DangerousAddRef(ref _boosterReferenced);
        FeatureCount = featureCount;
    }

    public int FeatureCount { get; }

    /// <summary>The raw score (log-odds for a binary model) of <paramref name="row"/>.</summary>
    public double PredictRaw(ReadOnlySpan<float> row)
    {
        ObjectDisposedException.ThrowIf(_config.IsClosed, this);
        if (row.Length != FeatureCount)
            throw new ArgumentException($"The booster expects {FeatureCount} features, the row has {row.Length}.", nameof(row));
        double result;
        long length;
        using var gate = LightGbmThreadGate.Shared(Threads);
        fixed (float* data = row)
            LightGbmNative.Check(LightGbmNative.LGBM_BoosterPredictForMatSingleRowFast(_config.DangerousGetHandle(), data, out length, &result), "LGBM_BoosterPredictForMatSingleRowFast");
        if (length != 1) throw new LightGbmException("LGBM_BoosterPredictForMatSingleRowFast", $"returned {length} values for one row");
        return result;
    }

    public void Dispose()
    {
        if (_config.IsClosed) return;
        _config.Dispose();
        if (_boosterReferenced)
        {
            _booster.DangerousRelease();
            _boosterReferenced = false;
        }
    }
}
