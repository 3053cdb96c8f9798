using Kairos.Snapshots;

namespace Kairos.Tests.Snapshots;

public class BrokerTimeZoneTests
{
    private static long Utc(int y, int mo, int d, int h, int mi = 0) => new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>The wall-clock reading as Unix seconds, as the parsers pass it.</summary>
    private static long Wall(int y, int mo, int d, int h, int mi = 0) => Utc(y, mo, d, h, mi);

    private static long ToUtc(string zone, long wall)
    {
        Assert.Equal(LocalTimeStatus.Ok, BrokerTimeZone.Parse(zone).ToUtc(wall, out var utc));
        return utc;
    }

    [Theory]
    [InlineData("America/New_York+7", "America/New_York+07:00")]
    [InlineData("America/New_York+07:00", "America/New_York+07:00")]
    [InlineData("Europe/London-1", "Europe/London-01:00")]
    [InlineData("Etc/GMT+7", "Etc/GMT+7")]
    [InlineData("EET", "EET")]
    [InlineData("+02:00", "+02:00")]
    [InlineData("UTC", "UTC")]
    public void TryParse_KnownForms_NormalisesTheId(string text, string id)
    {
        var zone = BrokerTimeZone.TryParse(text, out var problem);

        Assert.Null(problem);
        Assert.Equal(id, zone!.Id);
    }

    [Theory]
    [InlineData("Nowhere/City+7", "'Nowhere/City' is not an IANA time zone id")]
    [InlineData("America/New_York+15", "shifted zone like America/New_York+7")]
    [InlineData("Mars", "shifted zone like America/New_York+7")]
    public void TryParse_Unknown_SaysWhatIsAccepted(string text, string expected)
    {
        Assert.Null(BrokerTimeZone.TryParse(text, out var problem));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void ToUtc_NewYorkClose_IsUtcPlus2InWinterAndPlus3InSummer()
    {
        Assert.Equal(Utc(2025, 1, 5, 22), ToUtc("America/New_York+7", Wall(2025, 1, 6, 0)));
        Assert.Equal(Utc(2025, 7, 6, 21), ToUtc("America/New_York+7", Wall(2025, 7, 7, 0)));
    }

    /// <summary>
    /// The weeks when US and EU daylight saving differ (US starts on the second Sunday of March, EU on the last;
    /// EU ends on the last Sunday of October, US on the first of November): the week opens at 17:00 New York =
    /// 21:00 UTC, which a New York close server writes as Monday 00:00 and an EET server as Sunday 23:00.
    /// </summary>
    [Theory]
    [InlineData(2025, 3, 9)]
    [InlineData(2025, 3, 16)]
    [InlineData(2025, 3, 23)]
    [InlineData(2025, 10, 26)]
    [InlineData(2026, 3, 8)]
    [InlineData(2026, 3, 15)]
    [InlineData(2026, 3, 22)]
    [InlineData(2026, 10, 25)]
    public void ToUtc_DaylightSavingMismatchWeek_NewYorkCloseAndEetAgreeOnTheOpen(int year, int month, int sunday)
    {
        var open = Utc(year, month, sunday, 21);

        Assert.Equal(open, ToUtc("America/New_York+7", Wall(year, month, sunday + 1, 0)));
        Assert.Equal(open, ToUtc("EET", Wall(year, month, sunday, 23)));
        Assert.Equal(open + 3600, ToUtc("EET", Wall(year, month, sunday + 1, 0)));
    }

    [Theory]
    [InlineData(2025, 3, 9, 9, LocalTimeStatus.NonExistent)]
    [InlineData(2025, 11, 2, 8, LocalTimeStatus.Ambiguous)]
    [InlineData(2026, 3, 8, 9, LocalTimeStatus.NonExistent)]
    [InlineData(2026, 11, 1, 8, LocalTimeStatus.Ambiguous)]
    public void ToUtc_ShiftedZoneAtNewYorksChange_IsReportedNotGuessed(int y, int mo, int d, int h, LocalTimeStatus expected)
    {
        // New York's 02:00 change is 09:00 on a New York close server's clock.
        Assert.Equal(expected, BrokerTimeZone.Parse("America/New_York+7").ToUtc(Wall(y, mo, d, h, 30), out _));
    }
}
