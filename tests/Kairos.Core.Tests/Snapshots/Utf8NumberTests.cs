using System.Globalization;
using System.Text;
using Kairos.Snapshots.Parsing;

namespace Kairos.Tests.Snapshots;

/// <summary>The bar parsers' number reader: the framework's invariant parse of the same text, its fraction digits, and where it stops.</summary>
public class Utf8NumberTests
{
    [Theory]
    [InlineData("1.23456", 5)]
    [InlineData("-12.5", 1)]
    [InlineData("+3", 0)]
    [InlineData("0", 0)]
    [InlineData("1.", 0)]
    [InlineData(".5", 1)]
    [InlineData("00012.3400", 4)]
    [InlineData("0.000000000000000000000001", 24)]
    [InlineData("12345678901234567890.5", 1)]
    [InlineData("9007199254740993", 0)]
    [InlineData("1.5e3", 1)]
    public void TryParse_Decimal_FrameworkValueFractionDigitsAndStopsAtTheDelimiter(string text, int fraction)
    {
        var bytes = Encoding.ASCII.GetBytes(text + ";next");
        var pos = 0;

        Assert.True(Utf8Number.TryParse(bytes, ref pos, (byte)';', out var value, out var fractionDigits));

        Assert.Equal(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), value);
        Assert.Equal(fraction, fractionDigits);
        Assert.Equal(text.Length, pos);
    }

    [Theory]
    [InlineData("12a")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    public void TryParse_NotANumber_False(string text)
    {
        var pos = 0;

        Assert.False(Utf8Number.TryParse(Encoding.ASCII.GetBytes(text), ref pos, (byte)',', out _, out _));
    }
}
