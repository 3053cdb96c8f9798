using System.Globalization;
using Kairos.Evaluation;

namespace Kairos.Tests.Run;

/// <summary>What every deep family's <c>kairos run</c> test checks of the bundle it made.</summary>
internal static class PredictParity
{
    /// <summary>
    /// <c>kairos predict</c> with <paramref name="bundle"/> over its own test period (the timestamps of its
    /// <c>predictions_test.csv</c>) on <paramref name="snapshot"/> reproduces that file row for row, within 1e-5; with
    /// <paramref name="symbol"/> (a multi-symbol bundle) the file's rows of that symbol, scored with <c>--symbol</c>.
    /// Without a <c>--p-long</c>: the default (auto) is the model the run's gate judged, whose predictions these are.
    /// Returns how many rows were compared.
    /// </summary>
    public static int AssertPredictReproducesTheRunsTestPredictions(string dir, string bundle, string snapshot, string? symbol = null)
    {
        var all = PredictionsCsv.Read(Path.Combine(bundle, "predictions_test.csv"));
        var rows = Enumerable.Range(0, all.Count).Where(i => symbol is null || all.Symbols![i] == symbol).ToArray();
        var times = rows.Select(i => all.Timestamps![i]).ToArray();
        var expected = rows.Select(i => all.Probabilities[i]).ToArray();
        Assert.NotEmpty(times);
        static string Iso(long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var csv = Path.Combine(dir, $"predict_test{(symbol is null ? "" : "_" + symbol)}.csv");
        var predict = KairosCli.Run(["predict", "--bundle", bundle, "--snapshot", snapshot, "--from", Iso(times.Min()),
            "--to", Iso(times.Max() + 1), "--out", csv, .. symbol is null ? Array.Empty<string>() : ["--symbol", symbol]]);
        Assert.True(predict.ExitCode == 0, predict.StandardError);
        var actual = PredictionsCsv.Read(csv);
        Assert.Equal(times, actual.Timestamps!);
        if (symbol is not null) Assert.All(actual.Symbols!, s => Assert.Equal(symbol, s));
        var maxDiff = expected.Zip(actual.Probabilities, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1e-5, $"max |predict - predictions_test|{(symbol is null ? "" : " of " + symbol)} = {maxDiff:E2}");
        return times.Length;
    }
}
