using Kairos.Errors;
using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class PredictionsCsvTests
{
    private static string Write(string text)
    {
        var path = Path.Combine(TestData.TempDirectory(), "p.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static DataException Fails(string text, PredictionsCsvOptions? options = null) =>
        Assert.Throws<DataException>(() => PredictionsCsv.Read(Write(text), options));

    [Fact]
    public void Read_AllColumns_ParsesEveryColumnAndIgnoresExtra()
    {
        var p = PredictionsCsv.Read(Write("timestamp,symbol,y_true,y_prob,session,vol_regime,extra\n1735689600,EURUSD,1,0.75,EU,2,x\n2025-01-01T00:05:00Z,EURUSD,0,0.25,US,0,y\n"));

        Assert.Equal(2, p.Count);
        Assert.Equal([1, 0], p.Labels!);
        Assert.Equal([0.75, 0.25], p.Probabilities);
        Assert.Equal(["EU", "US"], p.Sessions!);
        Assert.Equal(["2", "0"], p.VolRegimes!);
        Assert.Equal([1735689600L, 1735689900L], p.Timestamps!);
        Assert.Equal(["EURUSD", "EURUSD"], p.Symbols!);
    }

    [Fact]
    public void Read_BucketColumnsAskedFor_ReadIntoBucketsByName()
    {
        var p = PredictionsCsv.Read(Write("timestamp,y_true,y_prob,session,atr_bucket,extra\n1,1,0.75,EU,Q1,x\n2,0,0.25,US,Q4,y\n"),
            new PredictionsCsvOptions(BucketColumns: ["atr_bucket", "session"]));

        Assert.Equal(["Q1", "Q4"], p.Buckets["atr_bucket"]);
        Assert.Equal(["Q1", "Q4"], p.BucketColumn("atr_bucket")!);
        Assert.Equal(["EU", "US"], p.BucketColumn("session")!);
        Assert.False(p.Buckets.ContainsKey("extra"));
        Assert.Null(p.BucketColumn("extra"));
    }

    [Fact]
    public void Read_BucketColumnMissingOrEmptyCell_FailsNamingColumn()
    {
        var missing = Fails("y_true,y_prob\n1,0.5\n", new PredictionsCsvOptions(BucketColumns: ["atr_bucket"]));
        var empty = Fails("y_true,y_prob,atr_bucket\n1,0.5,Q1\n0,0.5,\n", new PredictionsCsvOptions(BucketColumns: ["atr_bucket"]));

        Assert.Equal(("atr_bucket", "column-missing", 1L), (missing.Column, missing.Rule, missing.Line!.Value));
        Assert.Equal(("atr_bucket", "value-empty", 3L), (empty.Column, empty.Rule, empty.Line!.Value));
    }

    [Fact]
    public void Read_MinimalColumns_OptionalColumnsAreNull()
    {
        var p = PredictionsCsv.Read(Write("y_prob,y_true\n0.5,1\n"));

        Assert.Null(p.Sessions);
        Assert.Null(p.Timestamps);
        Assert.Equal([1], p.Labels!);
    }

    [Theory]
    [InlineData("y_true,y_prob\n1,abc\n", 2L, "y_prob", "number-format")]
    [InlineData("y_true,y_prob\n1,0.5\n1,NaN\n", 3L, "y_prob", "number-format")]
    [InlineData("y_true,y_prob\n1,-0.1\n", 2L, "y_prob", "probability-range")]
    [InlineData("y_true,y_prob\n1,0.5\ntrue,0.5\n", 3L, "y_true", "label-binary")]
    [InlineData("y_true,y_prob,session\n1,0.5,\n", 2L, "session", "value-empty")]
    [InlineData("y_true,y_prob,timestamp\n1,0.5,yesterday\n", 2L, "timestamp", "timestamp-format")]
    [InlineData("y_true,y_prob,timestamp\n1,0.5,100\n0,0.5,100\n", 3L, "timestamp", "timestamp-duplicate")]
    [InlineData("y_true,y_prob\n1,0.5,7\n", 2L, null, "field-count")]
    [InlineData("y_true,y_prob\n1,\"0.5\"\n", 2L, null, "quoting-unsupported")]
    [InlineData("y_true,y_prob,y_true\n1,0.5,1\n", 1L, "y_true", "header-duplicate")]
    [InlineData("y_true,score\n1,0.5\n", 1L, "y_prob", "column-missing")]
    [InlineData("y_prob\n0.5\n", 1L, "y_true", "column-missing")]
    [InlineData("y_true,y_prob\n", 2L, null, "no-rows")]
    public void Read_BadInput_NamesLineColumnAndRule(string text, long line, string? column, string rule)
    {
        var e = Fails(text);

        Assert.Equal(rule, e.Rule);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
    }

    [Fact]
    public void Read_SameTimestampDifferentSymbols_IsAllowed()
    {
        var p = PredictionsCsv.Read(Write("y_true,y_prob,timestamp,symbol\n1,0.5,100,A\n0,0.5,100,B\n"));

        Assert.Equal(2, p.Count);
    }

    [Fact]
    public void Read_RawScoresWhenAllowed_AcceptsOutsideUnitInterval()
    {
        var p = PredictionsCsv.Read(Write("y_prob\n-2.5\n3.0\n"), new PredictionsCsvOptions(RequireLabels: false, RequireUnitInterval: false));

        Assert.Equal([-2.5, 3.0], p.Probabilities);
        Assert.Null(p.Labels);
    }

    [Fact]
    public void WriteThenRead_RoundTripsExactly()
    {
        var path = Path.Combine(TestData.TempDirectory(), "predictions_test.csv");
        var original = new Predictions("memory", [0.1 + 0.2, 1.0 / 3], [1, 0], ["EU", "US"], ["1", "3"], [100, 400], ["EURUSD", "EURUSD"]);

        PredictionsCsv.Write(path, original);
        var read = PredictionsCsv.Read(path);

        Assert.Equal("timestamp,symbol,y_true,y_prob,session,vol_regime", File.ReadLines(path).First());
        Assert.Equal(original.Probabilities, read.Probabilities);
        Assert.Equal(original.Labels, read.Labels);
        Assert.Equal(original.Timestamps, read.Timestamps);
    }
}
