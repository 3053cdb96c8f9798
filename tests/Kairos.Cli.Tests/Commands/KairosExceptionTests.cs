using Kairos.Errors;

namespace Kairos.Tests.Commands;

/// <summary>The errors that list every problem found: a heading line, then one <c>  - </c> line per problem, and each its exit category.</summary>
public class KairosExceptionTests
{
    private static readonly string N = Environment.NewLine;

    [Fact]
    public void ConfigException_HeadingThenEachProblem_BadInput()
    {
        var e = new ConfigException("run.yaml", ["out: required", "seed: must be >= 0"]);

        Assert.Equal($"run.yaml: 2 problem(s) in configuration:{N}  - out: required{N}  - seed: must be >= 0", e.Message);
        Assert.Equal(ExitCategory.BadInput, e.Category);
    }

    [Fact]
    public void VerificationException_HeadingThenEachFailure_VerificationFailed()
    {
        var e = new VerificationException("bundle b1", ["manifest.json: hash differs"]);

        Assert.Equal($"bundle b1: verification failed:{N}  - manifest.json: hash differs", e.Message);
        Assert.Equal(ExitCategory.VerificationFailed, e.Category);
    }

    [Fact]
    public void BadRowsException_FirstFiftyListedThenHowManyMore_BadInput()
    {
        var problems = Enumerable.Range(1, BadRowsException.ListedInMessage + 3).Select(i => new RowProblem(i + 1, "close", "non-finite", "NaN")).ToList();

        var e = new BadRowsException("bars.csv", problems);

        var lines = e.Message.Split(N);
        Assert.Equal("bars.csv: 53 bad row(s); nothing was written:", lines[0]);
        Assert.Equal("  - line 2, close: [non-finite] NaN", lines[1]);
        Assert.Equal("  - line 51, close: [non-finite] NaN", lines[50]);
        Assert.Equal("  ... and 3 more", lines[51]);
        Assert.Equal(52, lines.Length);
        Assert.Equal(ExitCategory.BadInput, e.Category);
    }
}
