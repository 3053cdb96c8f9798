using Kairos.Trees.Native;

namespace Kairos.Trees;

/// <summary>
/// Raw scores of one row at a time through LightGBM's single-row fast path (created by
/// <see cref="LightGbmBooster.CreateRowPredictor"/>): no allocation and no prediction setup per call. Not
/// thread-safe; dispose it before its booster.
/// </summary>
public sealed unsafe class LightGbmRowPredictor : IDisposable
{
    private nint _config;

    internal LightGbmRowPredictor(nint config, int featureCount)
    {
        _config = config;
        FeatureCount = featureCount;
    }

    public int FeatureCount { get; }

    /// <summary>The raw score (log-odds for a binary model) of <paramref name="row"/>.</summary>
    public double PredictRaw(ReadOnlySpan<float> row)
    {
        ObjectDisposedException.ThrowIf(_config == 0, this);
        if (row.Length != FeatureCount)
            throw new ArgumentException($"The booster expects {FeatureCount} features, the row has {row.Length}.", nameof(row));
        double result;
        long length;
        fixed (float* data = row)
            LightGbmNative.Check(LightGbmNative.LGBM_BoosterPredictForMatSingleRowFast(_config, data, out length, &result), "LGBM_BoosterPredictForMatSingleRowFast");
        if (length != 1) throw new LightGbmException("LGBM_BoosterPredictForMatSingleRowFast", $"returned {length} values for one row");
        return result;
    }

    public void Dispose()
    {
        if (_config == 0) return;
        LightGbmNative.LGBM_FastConfigFree(_config);
        _config = 0;
    }
}
