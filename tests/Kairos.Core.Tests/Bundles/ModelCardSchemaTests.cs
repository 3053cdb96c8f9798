using System.Text.Json.Nodes;
using Kairos.Bundles;

namespace Kairos.Tests.Bundles;

public sealed class ModelCardSchemaTests
{
    private static JsonObject ValidCard() =>
        JsonNode.Parse(BundleJson.Serialize(TestBundles.Card(TestBundles.ContractHash, TestBundles.Draft(TestData.TempDirectory()).Metadata.Lineage)))!.AsObject();

    [Fact]
    public void Text_IsDraft202012UsingOnlyEnforcedKeywords()
    {
        var schema = JsonNode.Parse(ModelCardSchema.Text)!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string)schema["$schema"]!);
        Assert.Empty(ModelCardSchema.UnsupportedKeywords(ModelCardSchema.Text));
    }

    [Fact]
    public void UnsupportedKeywords_ConstAndIfThen_Reported()
    {
        var found = ModelCardSchema.UnsupportedKeywords("""{"type":"object","properties":{"v":{"const":"2"},"w":{"if":{},"then":{}}}}""");

        Assert.Equal(["$.properties.v.const", "$.properties.w.if", "$.properties.w.then"], found);
    }

    [Fact]
    public void UnsupportedKeywords_RefInsideDefs_Reported()
    {
        var found = ModelCardSchema.UnsupportedKeywords("""{"$defs":{"p":{"type":"number"},"m":{"properties":{"x":{"$ref":"#/$defs/p"}}}}}""");

        Assert.Equal(["$.$defs.m.properties.x.$ref (a $ref inside $defs is not resolved)"], found);
    }

    [Fact]
    public void Validate_ValidCard_NoViolations()
    {
        Assert.Empty(ModelCardSchema.Validate(ValidCard().ToJsonString()));
    }

    [Fact]
    public void Validate_CardWithBacktest_NoViolationsAndABadDrawdownReported()
    {
        var card = JsonNode.Parse(BundleJson.Serialize(TestBundles.Card(TestBundles.ContractHash, TestBundles.Draft(TestData.TempDirectory()).Metadata.Lineage) with
        {
            Backtest = new ModelCardBacktest
            {
                Source = "test predictions", PeriodStart = "2025-09-01T00:00:00Z", PeriodEnd = "2025-11-06T17:00:00Z", Trades = 412,
                NetExpectancyBps = 0.8, Sharpe = 1.3, MaxDrawdown = 0.012, NetPnl = 35.2, Return = 0.000352, AskSource = "spread_column",
                CommissionBps = 0.5, SlippageBps = 0.2, LongThreshold = 0.55, ShortThreshold = 0.55, HorizonBars = 12,
            },
        }))!.AsObject();

        Assert.Empty(ModelCardSchema.Validate(card.ToJsonString()));
        card["backtest"]!["max_drawdown"] = 1.5;
        Assert.Contains(ModelCardSchema.Validate(card.ToJsonString()), v => v.StartsWith("$.backtest.max_drawdown: number too big", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("version", "\"3\"", "$.version: not in enumeration")]
    [InlineData("feature_contract_hash", "\"93AB\"", "$.feature_contract_hash: pattern mismatch")]
    [InlineData("created_at", "\"yesterday\"", "$.created_at: date time expected")]
    [InlineData("notes", "5", "$.notes: string expected")]
    [InlineData("feature_importance", "[{\"name\":\"a\",\"gain\":-1}]", "$.feature_importance[0].gain: number too small")]
    [InlineData("latency_ms", "{\"mean\":1,\"p50\":0,\"p95\":1,\"p99\":1,\"samples\":10}", "$.latency_ms.p50: number too small")]
    [InlineData("eligibility", "{\"rate\":1.2,\"total_bars\":10,\"eligible_bars\":12,\"by_reason\":{}}", "$.eligibility.rate: number too big")]
    [InlineData("gate", "{\"verdict\":\"maybe\"}", "$.gate.verdict: not in enumeration")]
    public void Validate_BadField_ReportsJsonPath(string property, string json, string expectedStart)
    {
        var card = ValidCard();
        card[property] = JsonNode.Parse(json);

        var violations = ModelCardSchema.Validate(card.ToJsonString());

        Assert.Contains(violations, v => v.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NestedMetricsBySession_ReportsDeepPath()
    {
        var card = ValidCard();
        card["metrics_by_session"] = JsonNode.Parse("""{"EU":{"split":"test","samples":5,"pr_auc":0.5,"auc_roc":0.5,"brier":2,"log_loss":0.6,"calibration_ece":0.1}}""");

        var violation = Assert.Single(ModelCardSchema.Validate(card.ToJsonString()));

        Assert.Equal("$.metrics_by_session.EU.brier: number too big (maximum 1)", violation);
    }

    [Fact]
    public void Validate_NotJson_ReportsRoot()
    {
        Assert.StartsWith("$: not valid JSON", Assert.Single(ModelCardSchema.Validate("{")));
    }
}
