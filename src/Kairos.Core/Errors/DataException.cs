namespace Kairos.Errors;

/// <summary>
/// Bad input or data (exit code 2): names the file, the line and column where known, and the rule broken.
/// </summary>
public sealed class DataException : KairosException
{
    public DataException(string file, long? line, string? column, string rule, string detail, Exception? inner = null)
        : base(Format(file, line, column, rule, detail), inner)
    {
        File = file;
        Line = line;
        Column = column;
        Rule = rule;
        Detail = detail;
    }

    public DataException(string file, string rule, string detail, Exception? inner = null)
        : this(file, null, null, rule, detail, inner) { }

    public string File { get; }
    public long? Line { get; }
    public string? Column { get; }
    /// <summary>Stable, machine-readable rule name such as <c>duplicate-time</c>.</summary>
    public string Rule { get; }
    public string Detail { get; }

    private static string Format(string file, long? line, string? column, string rule, string detail)
    {
        var where = file;
        if (line is not null) where += $":{line}";
        if (column is not null) where += $" column '{column}'";
        return $"{where}: [{rule}] {detail}";
    }

    public override ExitCategory Category => ExitCategory.BadInput;
}
