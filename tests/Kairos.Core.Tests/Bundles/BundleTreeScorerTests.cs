using Kairos.Bundles;
using Kairos.Calibration;
using Kairos.Trees;

namespace Kairos.Tests.Bundles;

public sealed class BundleTreeScorerTests
{
    [Fact]
    public void Score_OneBarAtATime_EqualsBatchSignalsOfTheTreesStage()
    {
        var work = TestData.TempDirectory();
        var (dir, ensemble, calibrators) = TreeBundles.Build(work);
        using var owned = ensemble;
        var bundle = Bundle.Open(dir, new BundleVerifyOptions { ContractAuthority = TestBundles.Authority });
        var rows = TreeBundles.Matrix(200, 3, out _);
        var batch = TreeSignals.Compute(ensemble.PredictMargins(rows, 1), calibrators.Get("US"));

        using var scorer = BundleTreeScorer.Open(bundle);

        Assert.Equal(TreeBundles.Features, scorer.FeatureNames);
        for (var i = 0; i < rows.Rows; i++)
        {
            var s = scorer.Score("US", rows.Values.AsSpan(i * rows.Columns, rows.Columns));
            Assert.Equal(batch.Margin[i], s.Margin, 12);
            Assert.Equal(batch.PHat[i], s.PHat, 12);
            Assert.Equal(batch.PCal[i], s.PCal, 12);
            Assert.Equal(batch.Entropy[i], s.Entropy, 12);
            Assert.Equal(batch.UncertaintyScore[i], s.UncertaintyScore, 12);
        }
    }

    [Fact]
    public void Score_SessionWithoutCalibrator_ThrowsNamingSession()
    {
        var work = TestData.TempDirectory();
        var (dir, ensemble, _) = TreeBundles.Build(work);
        using var owned = ensemble;
        using var scorer = BundleTreeScorer.Open(Bundle.Open(dir, new BundleVerifyOptions { ContractAuthority = TestBundles.Authority }));

        var e = Assert.Throws<MissingCalibratorException>(() => scorer.Score("ASIA", new float[TreeBundles.Features.Length]));

        Assert.Contains("ASIA", e.Message);
    }

    [Fact]
    public void Score_WrongFeatureCount_Throws()
    {
        var work = TestData.TempDirectory();
        var (dir, ensemble, _) = TreeBundles.Build(work);
        using var owned = ensemble;
        using var scorer = BundleTreeScorer.Open(Bundle.Open(dir, new BundleVerifyOptions { ContractAuthority = TestBundles.Authority }));

        Assert.Throws<ArgumentException>(() => scorer.Score("EU", new float[3]));
    }
}
