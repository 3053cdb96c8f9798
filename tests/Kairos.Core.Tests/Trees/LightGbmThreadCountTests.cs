using Kairos.Trees;
using Kairos.Trees.Native;

namespace Kairos.Tests.Trees;

/// <summary>
/// LightGBM keeps one thread count for the whole process and sizes per-thread buffers by it; calls from several threads
/// of one process with different counts must not run into each other (they crashed the process: a prediction's buffers
/// sized for one thread, its parallel region run on two because another thread's call had raised the count).
/// </summary>
public sealed class LightGbmThreadCountTests
{
    private static readonly GbdtParameters Parameters = new() { MaxIterations = 40, EarlyStoppingRounds = 10, MinDataInLeaf = 20 };

    [Fact]
    public async Task PredictionsAndTraining_OnOneAndTwoThreadsAtOnce_GiveTheScoresOfEachAlone()
    {
        var (x, y) = SyntheticData.Make(600, seed: 11);
        using var model = GbdtTrainer.Train(x, y, x, y, Parameters);
        using var booster = LightGbmBooster.Load(model.ModelText);
        var expected = booster.PredictRaw(x, threads: 1);
        var one = Parameters with { Threads = 1 };
        Assert.Equal(2, Parameters.Threads);

        void Predict(int threads)
        {
            for (var i = 0; i < 3000; i++) Assert.Equal(expected, booster.PredictRaw(x, threads: threads));
        }
        void Train(GbdtParameters parameters)
        {
            for (var i = 0; i < 4; i++)
            {
                using var trained = GbdtTrainer.Train(x, y, x, y, parameters);
                Assert.Equal(model.ModelText, trained.ModelText);
            }
        }

        await Task.WhenAll(
            Task.Factory.StartNew(() => Predict(1), TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => Predict(2), TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => Train(one), TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => Train(Parameters), TaskCreationOptions.LongRunning));
    }

    [Fact]
    public void TheGate_SetsLightGbmsCount_ForItsHolder()
    {
        using (LightGbmThreadGate.Shared(3)) Assert.Equal(3, LightGbmNative.ThreadCount());
        using (LightGbmThreadGate.Shared(1))
        {
            Assert.Equal(1, LightGbmNative.ThreadCount());
            // LightGBM calls do not nest: a second one on a thread that holds the gate could wait for itself.
            Assert.Throws<InvalidOperationException>(() => LightGbmThreadGate.Shared(1));
            Assert.Throws<InvalidOperationException>(() => LightGbmThreadGate.Shared(2));
            Assert.Throws<InvalidOperationException>(() => LightGbmThreadGate.Exclusive());
        }
    }

    [Fact]
    public async Task ACallOnAnotherCount_WaitsUntilTheHoldersAreDone()
    {
        var entered = 0;
        var seen = 0;
        Task other;
        using (LightGbmThreadGate.Shared(2))
        {
            other = Task.Factory.StartNew(() =>
            {
                using var gate = LightGbmThreadGate.Shared(1);
                Volatile.Write(ref entered, 1);
                seen = LightGbmNative.ThreadCount();
            }, TaskCreationOptions.LongRunning);
            SpinWait.SpinUntil(() => LightGbmThreadGate.Waiting > 0 || other.IsCompleted, TimeSpan.FromSeconds(60));
            Assert.Equal(0, Volatile.Read(ref entered));
            Assert.Equal(2, LightGbmNative.ThreadCount());
        }
        await other;
        Assert.Equal(1, seen);
    }
}
