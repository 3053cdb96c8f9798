using System.Text.Json;
using Kairos.Threading;

namespace Kairos.Tests.Threading;

public sealed class ThreadSettingTests
{
    [Theory]
    [InlineData("auto", null)]
    [InlineData("AUTO", null)]
    [InlineData(" auto ", null)]
    [InlineData("1", 1)]
    [InlineData("16", 16)]
    [InlineData("1024", 1024)]
    public void TryParse_AutoOrPositiveWholeNumber_Accepted(string text, int? count)
    {
        Assert.True(ThreadSetting.TryParse(text, out var setting, out var problem));
        Assert.Null(problem);
        Assert.Equal(count, setting.Count);
        Assert.Equal(count is null, setting.IsAuto);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+2")]
    [InlineData("1.5")]
    [InlineData("two")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1025")]
    public void TryParse_Anything_Else_RejectedWithTheValueNamed(string? text)
    {
        Assert.False(ThreadSetting.TryParse(text, out _, out var problem));
        Assert.Contains($"'{text}' is not a thread setting", problem);
        Assert.Contains("'auto'", problem);
    }

    [Fact]
    public void Default_IsAuto()
    {
        Assert.True(default(ThreadSetting).IsAuto);
        Assert.Equal("auto", ThreadSetting.Auto.ToString());
        Assert.Equal("3", ThreadSetting.Fixed(3).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreadSetting.Fixed(0));
    }

    private sealed record Holder(ThreadSetting Threads);

    [Fact]
    public void Json_AutoIsAStringAndCountsAreNumbers_NullReadsAsAuto()
    {
        Assert.Equal("""{"Threads":"auto"}""", JsonSerializer.Serialize(new Holder(ThreadSetting.Auto)));
        Assert.Equal("""{"Threads":2}""", JsonSerializer.Serialize(new Holder(2)));
        Assert.Equal(ThreadSetting.Fixed(2), JsonSerializer.Deserialize<Holder>("""{"Threads":2}""")!.Threads);
        Assert.True(JsonSerializer.Deserialize<Holder>("""{"Threads":"auto"}""")!.Threads.IsAuto);
        Assert.True(JsonSerializer.Deserialize<Holder>("""{"Threads":null}""")!.Threads.IsAuto);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Holder>("""{"Threads":0}"""));
    }
}
