using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Lstm;

public class LstmTrainerTests
{
    private static Dictionary<string, Tensor> Encoder(LstmClassifier model) =>
        model.Encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    private static LstmClassifier Load(string weights, PretrainedEncoder encoder)
    {
        using var generator = new Generator(1);
        var model = new LstmClassifier(encoder.Metadata.Encoder, 16, 0.1, generator);
        model.load(weights);
        return model;
    }

    [Fact]
    public void Train_RealEurusdSmoke_LossFallsAndValidationScored()
    {
        using var data = SequenceDatasetLoader.Load(LstmTestRuns.RealDataset, new SequenceDatasetOptions());
        var encoder = PretrainedEncoder.Open(LstmTestRuns.Encoder);
        var result = new LstmTrainer(LstmTestRuns.Classifier(epochs: 3, freeze: true, limit: 768), TimeProvider.System)
            .Train(data, encoder, RunDirectory.Open(LstmTestRuns.NewRun("kairos-lstm-real"), false), false);

        var epochs = result.Metrics.Epochs;
        Assert.Equal(3, epochs.Count);
        Assert.True(epochs[^1].TrainLoss.Total < epochs[0].TrainLoss.Total, $"train {epochs[0].TrainLoss.Total} -> {epochs[^1].TrainLoss.Total}");
        Assert.Equal(epochs[0].TrainLoss.Total, epochs[0].TrainLoss.Direction);
        Assert.All(epochs, e => Assert.Equal(192, e.ValidationDirection!.Rows));
        Assert.NotNull(result.Model.Validation);
        Assert.Equal(192, result.Model.Validation!.Rows);
        Assert.InRange(result.Model.Validation.Brier, 0.1, 0.5);
        Assert.True(result.Model.Pretrained);
        foreach (var file in new[] { "train_config.json", "env.json", "git_commit.txt", "training.log", "metrics.json", "model.bin", "bundle_metadata.json", "validation.json" })
            Assert.True(File.Exists(Path.Combine(result.RunDirectory, file)), file);
    }

    [Fact]
    public void Train_FrozenPhase_EncoderWeightsUnchangedThenMoveWhenUnfrozen()
    {
        var encoder = PretrainedEncoder.Open(LstmTestRuns.Encoder);
        using var pretrained = Load(CreateWithEncoder(encoder), encoder);
        var before = Encoder(pretrained);

        var dir = LstmTestRuns.NewRun("kairos-lstm-frozen");
        var options = LstmTestRuns.Classifier(epochs: 3, freeze: true, freezeEpochs: 1);
        using (var data = SyntheticSequenceData.Create(256, 64, 12, seed: 8))
            Assert.Throws<OperationCanceledException>(() => new LstmTrainer(options with { Training = options.Training with { StopAfterSteps = 9 } }, TimeProvider.System)
                .Train(data, encoder, RunDirectory.Open(dir, false), false));
        using var afterFrozen = Load(Path.Combine(dir + ".partial", "checkpoints", "epoch_0001", "model.bin"), encoder);
        foreach (var (name, value) in Encoder(afterFrozen))
            Assert.True(TensorsEqual(value, before[name]), $"encoder parameter {name} moved while frozen");

        using (var data = SyntheticSequenceData.Create(256, 64, 12, seed: 8))
            new LstmTrainer(options, TimeProvider.System).Train(data, encoder, RunDirectory.Open(dir, true), true);
        using var final = Load(Path.Combine(dir, "checkpoints", "epoch_0003", "model.bin"), encoder);
        Assert.Contains(Encoder(final), p => !TensorsEqual(p.Value, before[p.Key]));

        var uninterrupted = LstmTestRuns.NewRun("kairos-lstm-frozen-full");
        using (var data = SyntheticSequenceData.Create(256, 64, 12, seed: 8))
            new LstmTrainer(options, TimeProvider.System).Train(data, encoder, RunDirectory.Open(uninterrupted, false), false);
        Assert.Equal(File.ReadAllBytes(Path.Combine(uninterrupted, "model.bin")), File.ReadAllBytes(Path.Combine(dir, "model.bin")));
    }

    [Fact]
    public void Train_ResumeOnOtherThreadCount_Accepted_OtherLearningRateRefused()
    {
        var dir = LstmTestRuns.NewRun("kairos-lstm-resume-threads");
        var options = LstmTestRuns.Classifier(epochs: 2);
        using var data = SyntheticSequenceData.Create(256, 64, 12, seed: 8);
        Assert.Throws<OperationCanceledException>(() => new LstmTrainer(options with { Training = options.Training with { StopAfterSteps = 9 } }, TimeProvider.System)
            .Train(data, null, RunDirectory.Open(dir, false), false));

        var e = Assert.Throws<Kairos.Errors.ConfigException>(() => new LstmTrainer(options with { Training = options.Training with { LearningRate = options.Training.LearningRate * 10 } }, TimeProvider.System)
            .Train(data, null, RunDirectory.Open(dir, true), true));
        var result = new LstmTrainer(options with { Training = options.Training with { Threads = Kairos.Threading.ThreadSetting.Fixed(2) } }, TimeProvider.System)
            .Train(data, null, RunDirectory.Open(dir, true), true);

        Assert.Contains(e.Problems, p => p.Contains("learning_rate", StringComparison.Ordinal));
        Assert.Equal(2, result.Metrics.Threads!.Threads);
        Assert.True(File.Exists(Path.Combine(dir, "model.bin")));
    }

    [Fact]
    public void Train_ThreeEpochs_NoTensorsLeakBetweenEpochs()
    {
        using var data = SyntheticSequenceData.Create(128, 32, 12, seed: 6);
        var result = new LstmTrainer(LstmTestRuns.Classifier(epochs: 3, augment: true), TimeProvider.System)
            .Train(data, null, RunDirectory.Open(LstmTestRuns.NewRun("kairos-lstm-leak"), false), false);
        var live = result.Metrics.Epochs.Select(e => e.LiveTensors).ToList();
        Assert.Equal(live[1], live[2]);
    }

    /// <summary>A classifier holding exactly the pretrained encoder, saved where <see cref="Load"/> can read it.</summary>
    private static string CreateWithEncoder(PretrainedEncoder encoder)
    {
        using var generator = new Generator(1);
        using var model = new LstmClassifier(encoder.Metadata.Encoder, 16, 0.1, generator);
        model.LoadEncoder(encoder.WeightsPath);
        var path = Path.Combine(Kairos.Tests.TestData.TempDirectory("kairos-lstm-pre"), "model.bin");
        model.save(path);
        return path;
    }

    [Fact]
    public void Train_Augment_OnlyTrainingBatchesAugmentedAndValidationUntouched()
    {
        using var data = SyntheticSequenceData.Create(128, 64, 12, seed: 4);
        var validation = (SequenceTensors)data.Validation!;
        using var validationBefore = validation.Windows.clone();
        var seen = new List<string>();
        var options = LstmTestRuns.Classifier(epochs: 2, augment: true);
        var result = new LstmTrainer(options, TimeProvider.System) { Augmented = seen.Add }
            .Train(data, null, RunDirectory.Open(LstmTestRuns.NewRun("kairos-lstm-aug"), false), false);

        Assert.Equal(2 * 4, seen.Count);
        Assert.All(seen, s => Assert.Equal("train", s));
        Assert.True(TensorsEqual(validation.Windows, validationBefore));

        using var generator = new Generator(1);
        using var model = new LstmClassifier(LstmTestRuns.TinyEncoder, 16, 0.1, generator);
        model.load(Path.Combine(result.RunDirectory, "model.bin"));
        var rescored = LstmTrainer.Score(LstmTrainer.Predict(model, validation, 256), LstmTrainer.Labels(validation));
        Assert.Equal(rescored, result.Model.Validation);
    }

    [Fact]
    public void Train_AugmentOn_TrainingDiffersFromAugmentOff()
    {
        double Loss(bool augment)
        {
            using var data = SyntheticSequenceData.Create(128, 32, 12, seed: 4);
            return new LstmTrainer(LstmTestRuns.Classifier(epochs: 1, augment: augment), TimeProvider.System)
                .Train(data, null, RunDirectory.Open(LstmTestRuns.NewRun("kairos-lstm-aug2"), false), false).Metrics.Epochs[0].TrainLoss.Total;
        }
        Assert.NotEqual(Loss(false), Loss(true));
    }

    [Fact]
    public void Train_FreezeWithoutEncoder_ConfigErrorNamesFreezeEncoder()
    {
        using var data = SyntheticSequenceData.Create(32, 8, 12, seed: 4);
        var e = Assert.Throws<Kairos.Errors.ConfigException>(() => new LstmTrainer(LstmTestRuns.Classifier(epochs: 2, freeze: true), TimeProvider.System)
            .Train(data, null, RunDirectory.Open(LstmTestRuns.NewRun("kairos-lstm-bad"), false), false));
        Assert.Contains(e.Problems, p => p.StartsWith("--freeze-encoder", StringComparison.Ordinal));
    }

    [Fact]
    public void Train_EncoderPretrainedOnOtherFeatures_Refused()
    {
        using var data = Rename(SyntheticSequenceData.Create(32, 8, 12, seed: 4));
        var e = Assert.Throws<Kairos.Errors.ConfigException>(() => new LstmTrainer(LstmTestRuns.Classifier(epochs: 2), TimeProvider.System)
            .Train(data, PretrainedEncoder.Open(LstmTestRuns.Encoder), RunDirectory.Open(LstmTestRuns.NewRun("kairos-lstm-contract"), false), false));
        Assert.Contains(e.Problems, p => p.Contains("pretrained on features", StringComparison.Ordinal));
    }

    private static SequenceTrainingData Rename(SequenceTrainingData d) =>
        new(d.Train, d.Validation, d.Info with { Features = d.Info.Features.Select(f => f.Replace("rel_", "other_", StringComparison.Ordinal)).ToList() });

    private static bool TensorsEqual(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
