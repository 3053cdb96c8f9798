using Kairos.Deep.Lstm;
using Kairos.Tests.Bundles;
using Kairos.Tests.Lstm;

namespace Kairos.Serve.Tests;

/// <summary>
/// <c>kairos serve</c> with an LSTM bundle (issue 20.3) as a real process over loopback HTTP: it reports the libtorch engine
/// and answers the EURUSD test period with the p_long of the trained classifier, as <see cref="LstmPredictor"/> scores the
/// dataset's test rows offline.
/// </summary>
public class ServeLstmTests
{
    private static readonly string[] Hybrid = ["--p-long", "hybrid", "--long-threshold", "0.5", "--short-threshold", "0.5"];

    [Fact]
    public async Task Http_TestPeriod_LstmBundleAnswersWithTheOfflinePredictorsProbabilities()
    {
        var f = ServeFixture.Instance;
        var lstm = new LstmBundleFixture();
        Assert.True(lstm.Build.ExitCode == 0, lstm.Train.StandardError + lstm.Build.StandardError);
        using var offline = LstmPredictor.Open(lstm.Run);
        var expected = offline.PredictSplit(BundleInputs.Instance.Dataset, "test");
        var rows = expected.Timestamps!.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        using var serve = ServeProcess.Start(["--bundle", lstm.Directory!, "--warmup", f.WarmupSnapshot, .. Hybrid]);
        await Wait.Ready(serve);

        var status = await serve.Status();
        var answers = await serve.PostBatches(f.Bars, 50);

        Assert.Equal("libtorch", (string?)status["hybrid_engine"]);
        Assert.Equal(f.Bars.Count, answers.Count);
        var compared = 0;
        for (var i = 0; i < answers.Count; i++)
        {
            if ((double?)answers[i]["p_long"] is not { } p || !rows.TryGetValue(f.Bars[i].Time, out var row)) continue;
            Assert.True(Math.Abs(expected.Probabilities[row] - p) <= 1e-5, $"bar {i} (test row {row}): served {p:R}, offline {expected.Probabilities[row]:R}");
            compared++;
        }
        Assert.True(compared > 1000, $"only {compared} served bars compared with the offline predictor");
    }
}
