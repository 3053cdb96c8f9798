namespace Kairos.Reports;

/// <summary>A table cell: text (escaped when written) and an optional style (<c>good</c>, <c>bad</c>, <c>muted</c>, <c>num</c>).</summary>
public readonly record struct HtmlCell(string Text, string? Style = null)
{
    public static implicit operator HtmlCell(string text) => new(text);
}
