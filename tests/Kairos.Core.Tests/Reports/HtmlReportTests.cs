using Kairos.Reports;
using ScottPlot;

namespace Kairos.Tests.Reports;

public class HtmlReportTests
{
    private static byte[] SmallPng()
    {
        var plot = new Plot();
        plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 1, 0, 2 });
        return PlotImage.Png(plot, 200, 150);
    }

    [Fact]
    public void ToHtml_EscapesTextAndEmbedsImagesAsDataUris()
    {
        var page = new HtmlReport("A <b> & \"c\"")
            .Heading("x < y")
            .Paragraph("<script>alert(1)</script>")
            .Table(["k", "v"], [["<i>", new HtmlCell("1", "num")]])
            .Image(SmallPng(), "plot \"one\"");

        var html = page.ToHtml();

        Assert.Contains("<title>A &lt;b&gt; &amp; &quot;c&quot;</title>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("<td class=\"num\">1</td>", html);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo", html);
        Assert.Contains("default-src 'none'; img-src data:", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.Equal(1, page.ImageCount);
    }

    [Fact]
    public void Image_NotAPng_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new HtmlReport("t").Image([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0, 0], "gif"));
        Assert.Contains("not a PNG", error.Message);
    }

    [Fact]
    public void Table_RowWithTheWrongNumberOfCells_Throws()
    {
        Assert.Throws<ArgumentException>(() => new HtmlReport("t").Table(["a", "b"], [["only one"]]));
    }

    [Fact]
    public void Paragraph_UnknownStyle_Throws()
    {
        Assert.Throws<ArgumentException>(() => new HtmlReport("t").Paragraph("x", "fancy"));
    }

    [Fact]
    public void Save_WritesTheWholePageAndNoTemporaryFile()
    {
        var dir = TestData.TempDirectory();
        var path = Path.Combine(dir, "report.html");
        var page = new HtmlReport("saved").Paragraph("body");

        page.Save(path);

        Assert.Equal(page.ToHtml(), File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Panels_ThreePlots_OneWideImage()
    {
        var plots = Enumerable.Range(0, 3).Select(_ => new Plot()).ToList();

        var png = PlotImage.Panels(300, 200, plots, 3);

        // PNG IHDR: width and height are big-endian at bytes 16..23.
        Assert.Equal(900, (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19]);
        Assert.Equal(200, (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);
    }
}
