using System.Security.Cryptography;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using static TorchSharp.torch;

namespace Kairos.Deep.Tests.Lstm;

public class Ts2VecPretrainerTests
{
    private static PretrainOptions Options(int epochs, long? limit = null) => LstmTestRuns.Pretrain(epochs, limit: limit) with { Method = PretrainingMethod.Ts2Vec };

    private static string Pretrain(PretrainOptions options, string prefix, ulong dataSeed = 5)
    {
        using var data = SyntheticSequenceData.Create(256, 64, 12, seed: (long)dataSeed);
        return SequencePretrainer.Create(options, TimeProvider.System).Train(data, RunDirectory.Open(LstmTestRuns.NewRun(prefix), false), false).RunDirectory;
    }

    [Fact]
    public void Train_RealEurusdSmoke_TrainAndValidationContrastiveLossFall()
    {
        using var data = SequenceDatasetLoader.Load(LstmTestRuns.RealDataset, new SequenceDatasetOptions());
        var result = SequencePretrainer.Create(Options(epochs: 3, limit: 768), TimeProvider.System)
            .Train(data, RunDirectory.Open(LstmTestRuns.NewRun("kairos-ts2vec-real"), false), false);

        var epochs = result.Metrics.Epochs;
        Assert.Equal("bilstm_ts2vec", result.Metrics.Model);
        Assert.Equal(3, epochs.Count);
        Assert.True(epochs[^1].TrainLoss.Total < epochs[0].TrainLoss.Total, $"train {epochs[0].TrainLoss.Total} -> {epochs[^1].TrainLoss.Total}");
        Assert.True(epochs[^1].ValidationLoss!.Total < epochs[0].ValidationLoss!.Total, $"val {epochs[0].ValidationLoss!.Total} -> {epochs[^1].ValidationLoss!.Total}");
        Assert.True(result.Metrics.FirstStepLoss > result.Metrics.LastStepLoss, $"first step {result.Metrics.FirstStepLoss}, last {result.Metrics.LastStepLoss}");
        Assert.Equal(768, result.Metrics.TrainSamples);
        Assert.All(result.Metrics.SuccessChecks, c => Assert.True(c.Passed, c.Name + ": " + c.Detail));
        Assert.Contains("pretrain bilstm_ts2vec", File.ReadAllText(Path.Combine(result.RunDirectory, "training.log")));
    }

    [Fact]
    public void Train_Completes_EncoderRecordsTheMethodAndLoadsIntoTheClassifier()
    {
        var dir = Pretrain(Options(epochs: 1), "kairos-ts2vec-enc");

        var encoder = PretrainedEncoder.Open(dir);
        Assert.Equal(PretrainingMethod.Ts2Vec, encoder.Metadata.Method);
        Assert.Equal(new Ts2VecOptions(), encoder.Metadata.Ts2Vec);
        Assert.Null(encoder.Metadata.Masking);
        Assert.Equal(2, encoder.Metadata.MinReaderVersion);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(encoder.WeightsPath))), encoder.Metadata.WeightsSha256);
        Assert.Equal(PretrainingMethod.Masked, PretrainedEncoder.Open(LstmTestRuns.Encoder).Metadata.Method);

        using var data = SyntheticSequenceData.Create(128, 32, 12, seed: 6);
        var classifier = new LstmTrainer(LstmTestRuns.Classifier(epochs: 2, freeze: true), TimeProvider.System)
            .Train(data, encoder, RunDirectory.Open(LstmTestRuns.NewRun("kairos-ts2vec-clf"), false), false);
        Assert.Equal(PretrainingMethod.Ts2Vec, classifier.Model.PretrainedEncoder!.Method);
        Assert.Contains("encoder pretrained " + encoder.Directory, File.ReadAllText(Path.Combine(classifier.RunDirectory, "training.log")));
    }

    [Fact]
    public void Train_SameSeedTwice_BitIdenticalWeights()
    {
        var first = Pretrain(Options(epochs: 2), "kairos-ts2vec-a");
        var second = Pretrain(Options(epochs: 2), "kairos-ts2vec-b");
        var otherSeed = Pretrain(Options(epochs: 2) with { Training = Options(2).Training with { Seed = 12 } }, "kairos-ts2vec-c");

        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "model.bin")), File.ReadAllBytes(Path.Combine(second, "model.bin")));
        static double[] Losses(string run) => [.. RunJson.Read<TrainingMetrics>(Path.Combine(run, "metrics.json")).Epochs.SelectMany(e => new[] { e.TrainLoss.Total, e.ValidationLoss!.Total })];
        Assert.Equal(Losses(first), Losses(second));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(first, "model.bin")), File.ReadAllBytes(Path.Combine(otherSeed, "model.bin")));
    }

    [Fact]
    public void Train_StoppedInEpoch2ThenResumed_WeightsBitIdenticalToUninterrupted()
    {
        var options = Options(epochs: 3);
        var full = Pretrain(options, "kairos-ts2vec-full");

        var dir = LstmTestRuns.NewRun("kairos-ts2vec-resume");
        using (var data = SyntheticSequenceData.Create(256, 64, 12, seed: 5))
            Assert.Throws<OperationCanceledException>(() => SequencePretrainer.Create(options with { Training = options.Training with { StopAfterSteps = 12 } }, TimeProvider.System)
                .Train(data, RunDirectory.Open(dir, false), false));
        Assert.True(Directory.Exists(Path.Combine(dir + ".partial", "checkpoints", "epoch_0001")));
        using (var data = SyntheticSequenceData.Create(256, 64, 12, seed: 5))
            SequencePretrainer.Create(options, TimeProvider.System).Train(data, RunDirectory.Open(dir, true), true);

        Assert.Equal(File.ReadAllBytes(Path.Combine(full, "model.bin")), File.ReadAllBytes(Path.Combine(dir, "model.bin")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(full, "encoder.bin")), File.ReadAllBytes(Path.Combine(dir, "encoder.bin")));
        Assert.Contains("resumed from the checkpoint of epoch 1", File.ReadAllText(Path.Combine(dir, "training.log")));
    }

    [Fact]
    public void Train_NonFiniteWindow_DivergedNamingTheContrastiveLossAndKeepsNoRun()
    {
        using var data = SyntheticSequenceData.Create(64, 16, 12, seed: 5);
        using (var feature = ((SequenceTensors)data.Train).Windows.select(2, 0)) feature.fill_(float.NaN);
        var dir = LstmTestRuns.NewRun("kairos-ts2vec-nan");

        var e = Assert.Throws<TrainingDivergedException>(() => SequencePretrainer.Create(Options(1), TimeProvider.System).Train(data, RunDirectory.Open(dir, false), false));

        Assert.Equal("contrastive loss", e.Head);
        Assert.Equal(1, e.Step);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Train_TemporalUnitTooLongForTheWindows_EveryProblemNamed()
    {
        using var data = SyntheticSequenceData.Create(32, 8, 12, seed: 5);
        var options = Options(1) with { Ts2Vec = new Ts2VecOptions { TemporalUnit = 3, Alpha = 1.5, TimestampMaskRatio = 1 } };

        var e = Assert.Throws<Kairos.Errors.ConfigException>(() => SequencePretrainer.Create(options, TimeProvider.System)
            .Train(data, RunDirectory.Open(LstmTestRuns.NewRun("kairos-ts2vec-bad"), false), false));

        Assert.Contains(e.Problems, p => p.StartsWith("--temporal-unit 3 needs crops of at least 16 bars", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("--alpha", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("--timestamp-mask-ratio", StringComparison.Ordinal));
    }
}
