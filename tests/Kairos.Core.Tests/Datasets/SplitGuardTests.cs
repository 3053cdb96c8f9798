using Kairos.Datasets;
using Kairos.Errors;

namespace Kairos.Tests.Datasets;

public class SplitGuardTests
{
    [Fact]
    public void AssertOrdered_LabelReachingIntoNextSplit_Fails()
    {
        var failures = new List<string>();
        SplitGuard.AssertOrdered("train", [0, 300], [300, 3900], "val", [3600, 3900], 300, failures);
        Assert.Contains(failures, f => f.Contains("label of train"));
        Assert.Throws<VerificationException>(() => SplitGuard.ThrowIfAny("x", failures));
    }

    [Fact]
    public void AssertOrdered_TooCloseForPurge_Fails()
    {
        var failures = new List<string>();
        SplitGuard.AssertOrdered("val", [0, 300], [600, 900], "test", [1200], 3600, failures);
        Assert.Single(failures);
        Assert.Contains("purge", failures[0]);
    }

    [Fact]
    public void AssertOrdered_Separated_NoFailure()
    {
        var failures = new List<string>();
        SplitGuard.AssertOrdered("train", [0, 300], [600, 900], "val", [10_000], 3600, failures);
        Assert.Empty(failures);
    }
}
