using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Progress;
using Kairos.Threading;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Runs;

public class SequenceRunLoopTests
{
    [Theory]
    [InlineData(null, 40L, 12L)]
    [InlineData(20L, 20L, 5L)]
    [InlineData(3L, 3L, 1L)]
    [InlineData(1000L, 40L, 12L)]
    public void PrepareSplits_LimitSamples_TrainLimitedValidationToAQuarterOfIt(long? limit, long expectedTrain, long expectedValidation)
    {
        using var data = SyntheticSequenceData.Create(40, 12, 8, seed: 5);
        var o = new SequenceTrainingOptions { LimitSamples = limit };

        var (train, validation) = SequenceRunLoop.PrepareSplits(data.Train, data.Validation, o, CPU);

        Assert.Equal(expectedTrain, train.Count);
        Assert.Equal(expectedValidation, validation!.Count);
        Assert.Equal(data.Train.Slice(0, expectedTrain).Windows.data<float>().ToArray(), train.Slice(0, expectedTrain).Windows.data<float>().ToArray());
    }

    [Fact]
    public void PrepareSplits_NoValidation_ValidationNull()
    {
        using var data = SyntheticSequenceData.Create(10, 0, 4, seed: 1);

        var (train, validation) = SequenceRunLoop.PrepareSplits(data.Train, data.Validation, new SequenceTrainingOptions { LimitSamples = 4 }, CPU);

        Assert.Equal(4, train.Count);
        Assert.Null(validation);
    }

    [Fact]
    public void ConfigureThreads_FixedCount_SetsLibtorchAndNotesTheDecision()
    {
        var notes = new List<string>();
        var o = new SequenceTrainingOptions { Threads = ThreadSetting.Fixed(1) };

        var decision = SequenceRunLoop.ConfigureThreads(o, null, TimeProvider.System, new NoteSink(notes));

        Assert.Equal(1, decision.Threads);
        Assert.Equal(1, get_num_threads());
        Assert.Equal([$"1 libtorch thread(s) ({decision.Reason})"], notes);
    }

    private sealed class NoteSink(List<string> notes) : IProgressSink
    {
        public IProgressTask Start(string description, double total) => NullProgressSink.Instance.Start(description, total);

        public void Note(string line) => notes.Add(line);
    }
}
