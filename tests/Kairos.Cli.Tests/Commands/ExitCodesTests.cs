using Kairos.Cli;
using Kairos.Deep.Runtime;
using Kairos.Errors;

namespace Kairos.Tests.Commands;

/// <summary>Every Kairos error maps to its documented exit code through its category (README "Exit codes").</summary>
public class ExitCodesTests
{
    [Fact]
    public void For_TorchUnavailable_IsUnavailableNotInternalError()
    {
        var code = ExitCodes.For(new TorchUnavailableException("libtorch not found"));

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Equal(69, code);
    }

    [Fact]
    public void For_EachKairosError_ItsCategorysCode()
    {
        Assert.Equal(2, ExitCodes.For(new DataException("f.csv", "rule", "detail")));
        Assert.Equal(2, ExitCodes.For(new ConfigException("cfg", ["bad"])));
        Assert.Equal(3, ExitCodes.For(new VerificationException("bundle", ["hash"])));
        Assert.Equal(4, ExitCodes.For(new GateFailedException("rejected")));
        Assert.Equal(75, ExitCodes.For(new LockedException("/out", "run-lock", "held", 1)));
        Assert.Equal(70, ExitCodes.For(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void For_EveryCategory_HasItsOwnDocumentedCode()
    {
        var codes = Enum.GetValues<ExitCategory>().Select(ExitCodes.For).ToList();

        Assert.DoesNotContain(ExitCodes.InternalError, codes);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        var readme = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "README.md"));
        Assert.All(codes, c => Assert.Contains($"| {c} |", readme));
    }
}
