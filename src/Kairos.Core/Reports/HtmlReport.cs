using Kairos.Artifacts;
using System.Net;
using System.Text;

namespace Kairos.Reports;

/// <summary>
/// A self-contained HTML page: headings, text, tables and PNG images embedded as data URIs, with inline
/// CSS and a content security policy that forbids loading anything from elsewhere. No scripts. Every
/// text is HTML-escaped; the page renders the same offline, from a file, forever.
/// </summary>
public sealed class HtmlReport
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly HashSet<string> Styles = ["good", "bad", "muted", "num", "warn"];
    private readonly StringBuilder _body = new();
    private int _images;

    public HtmlReport(string title)
    {
        Title = title;
    }

    public string Title { get; }

    public int ImageCount => _images;

    public HtmlReport Heading(string text, int level = 2)
    {
        if (level is < 2 or > 4) throw new ArgumentOutOfRangeException(nameof(level), level, "section headings are h2..h4 (h1 is the title)");
        _body.Append("<h").Append(level).Append('>').Append(Escape(text)).Append("</h").Append(level).Append(">\n");
        return this;
    }

    public HtmlReport Paragraph(string text, string? style = null)
    {
        _body.Append("<p").Append(Class(style)).Append('>').Append(Escape(text)).Append("</p>\n");
        return this;
    }

    public HtmlReport KeyValues(IEnumerable<(string Key, HtmlCell Value)> pairs)
    {
        _body.Append("<table class=\"kv\">\n");
        foreach (var (key, value) in pairs)
            _body.Append("<tr><th>").Append(Escape(key)).Append("</th>").Append(Cell("td", value)).Append("</tr>\n");
        _body.Append("</table>\n");
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<HtmlCell>> rows, string? caption = null)
    {
        _body.Append("<table>\n");
        if (caption is not null) _body.Append("<caption>").Append(Escape(caption)).Append("</caption>\n");
        _body.Append("<thead><tr>");
        foreach (var h in header) _body.Append("<th>").Append(Escape(h)).Append("</th>");
        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            if (row.Count != header.Count)
                throw new ArgumentException($"a row of table '{caption ?? header[0]}' has {row.Count} cells, the header {header.Count}", nameof(rows));
            _body.Append("<tr>");
            foreach (var cell in row) _body.Append(Cell("td", cell));
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>Embeds a PNG as a data URI; the bytes must be a PNG.</summary>
    public HtmlReport Image(byte[] png, string alt, string? caption = null)
    {
        if (png.Length < PngSignature.Length || !png.AsSpan(0, PngSignature.Length).SequenceEqual(PngSignature))
            throw new ArgumentException($"image '{alt}' is not a PNG", nameof(png));
        _images++;
        _body.Append("<figure><img alt=\"").Append(Escape(alt)).Append("\" src=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(png)).Append("\">");
        if (caption is not null) _body.Append("<figcaption>").Append(Escape(caption)).Append("</figcaption>");
        _body.Append("</figure>\n");
        return this;
    }

    public HtmlReport ImageFile(string path, string alt, string? caption = null) => Image(File.ReadAllBytes(path), alt, caption);

    public HtmlReport Preformatted(string text)
    {
        _body.Append("<pre>").Append(Escape(text)).Append("</pre>\n");
        return this;
    }

    public string ToHtml()
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Escape(Title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Escape(Title)).Append("</h1>\n")
            .Append(_body)
            .Append("</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/> through a temporary sibling file and a rename.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToHtml());

    private static string Cell(string tag, HtmlCell cell) => $"<{tag}{Class(cell.Style)}>{Escape(cell.Text)}</{tag}>";

    private static string Class(string? style)
    {
        if (style is null) return "";
        if (!Styles.Contains(style)) throw new ArgumentException($"unknown cell style '{style}' (known: {string.Join(", ", Styles)})", nameof(style));
        return $" class=\"{style}\"";
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; line-height: 1.4; padding: 0 1rem; }
        h1 { font-size: 1.6rem; border-bottom: 2px solid #444; padding-bottom: .3rem; }
        h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
        h3 { font-size: 1.1rem; }
        table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
        caption { text-align: left; font-weight: 600; padding: .3rem 0; }
        th, td { border: 1px solid #ddd; padding: .25rem .6rem; text-align: left; vertical-align: top; }
        thead th { background: #f3f3f3; }
        table.kv th { background: #f8f8f8; font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .good { color: #116611; font-weight: 600; }
        .bad { color: #aa1111; font-weight: 600; }
        .warn { color: #996600; font-weight: 600; }
        .muted { color: #888; }
        figure { margin: 1rem 0; }
        figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: .85rem; color: #555; }
        pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; font-size: .8rem; }

        """;
}
