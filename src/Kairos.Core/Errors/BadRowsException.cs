namespace Kairos.Errors;

/// <summary>
/// Rows of an input file that break its rules, all of them found in one pass (exit code 2): each names its line, field
/// and rule. The message lists the first <see cref="ListedInMessage"/>; <see cref="Problems"/> holds every one.
/// </summary>
public sealed class BadRowsException : KairosException
{
    public const int ListedInMessage = 50;

    public override ExitCategory Category => ExitCategory.BadInput;

    public BadRowsException(string file, IReadOnlyList<RowProblem> problems)
        : base(Listed($"{file}: {problems.Count} bad row(s); nothing was written:", problems.Take(ListedInMessage)) +
               (problems.Count > ListedInMessage ? $"{Environment.NewLine}  ... and {problems.Count - ListedInMessage} more" : ""))
    {
        File = file;
        Problems = problems;
    }

    public string File { get; }
    public IReadOnlyList<RowProblem> Problems { get; }
}
