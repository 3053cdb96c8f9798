using System.Globalization;
using Kairos.Evaluation;

namespace Kairos.Tests.Run;

/// <summary>What every deep family's <c>kairos run</c> test checks of the bundle it made.</summary>
internal static class PredictParity
{
    /// <summary>
    /// <c>kairos predict</c> with <paramref name="bundle"/> over its own test period (the timestamps of its
    /// <c>predictions_test.csv</c>) on <paramref name="snapshot"/> reproduces that file row for row, within 1e-5.
    /// </summary>
    public static void AssertPredictReproducesTheRunsTestPredictions(string dir, string bundle, string snapshot)
    {
        var expected = PredictionsCsv.Read(Path.Combine(bundle, "predictions_test.csv"));
        static string Iso(long t) => DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var csv = Path.Combine(dir, "predict_test.csv");
        var predict = KairosCli.Run("predict", "--bundle", bundle, "--snapshot", snapshot, "--from", Iso(expected.Timestamps!.Min()),
            "--to", Iso(expected.Timestamps!.Max() + 1), "--p-long", "hybrid", "--out", csv);
        Assert.True(predict.ExitCode == 0, predict.StandardError);
        var actual = PredictionsCsv.Read(csv);
        Assert.Equal(expected.Timestamps!, actual.Timestamps!);
        var maxDiff = expected.Probabilities.Zip(actual.Probabilities, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1e-5, $"max |predict - predictions_test| = {maxDiff:E2}");
    }
}
