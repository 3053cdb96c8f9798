using System.Security.Cryptography;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Tests.Lstm;

public class MaskedPretrainerTests
{
    [Fact]
    public void Train_RealEurusdSmoke_TrainAndValidationReconstructionLossFall()
    {
        using var data = SequenceDatasetLoader.Load(LstmTestRuns.RealDataset, new SequenceDatasetOptions());
        var result = new MaskedPretrainer(LstmTestRuns.Pretrain(epochs: 3, limit: 768), TimeProvider.System)
            .Train(data, RunDirectory.Open(LstmTestRuns.NewRun("kairos-mae-real"), false), false);

        var epochs = result.Metrics.Epochs;
        Assert.Equal(3, epochs.Count);
        Assert.True(epochs[^1].TrainLoss.Total < epochs[0].TrainLoss.Total, $"train {epochs[0].TrainLoss.Total} -> {epochs[^1].TrainLoss.Total}");
        Assert.True(epochs[^1].ValidationLoss!.Total < epochs[0].ValidationLoss!.Total, $"val {epochs[0].ValidationLoss!.Total} -> {epochs[^1].ValidationLoss!.Total}");
        Assert.Equal(epochs[^1].TrainLoss.Total, epochs[^1].TrainLoss.Reconstruction);
        Assert.Null(epochs[0].TrainLoss.Direction);
        Assert.Equal(768, result.Metrics.TrainSamples);
        Assert.All(result.Metrics.SuccessChecks, c => Assert.True(c.Passed, c.Name + ": " + c.Detail));
    }

    [Fact]
    public void Train_Completes_WritesEncoderWithConfigAndInputContract()
    {
        var dir = LstmTestRuns.Encoder;
        foreach (var file in new[] { "train_config.json", "env.json", "git_commit.txt", "training.log", "metrics.json", "model.bin", "encoder.bin", "encoder.json" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        Assert.False(Directory.Exists(dir + ".partial"));

        var encoder = PretrainedEncoder.Open(dir);
        Assert.Equal(16, encoder.Metadata.Encoder.HiddenSize);
        Assert.Equal(Kairos.Features.RelativeTransform.FeatureNames, encoder.Metadata.InputContract.Features);
        Assert.Equal(12, encoder.Metadata.InputContract.SeqLen);
        Assert.Equal(MaskingStrategy.Patch, encoder.Metadata.Masking);
        Assert.Equal(0.15, encoder.Metadata.MaskRatio);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(encoder.WeightsPath))), encoder.Metadata.WeightsSha256);
    }

    [Fact]
    public void Open_EncoderWeightsTampered_VerificationFailsNamingTheFile()
    {
        var copy = Kairos.Tests.TestData.TempDirectory("kairos-encoder-tampered");
        foreach (var file in Directory.GetFiles(LstmTestRuns.Encoder)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var bytes = File.ReadAllBytes(Path.Combine(copy, "encoder.bin"));
        bytes[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(copy, "encoder.bin"), bytes);

        var e = Assert.Throws<Kairos.Errors.VerificationException>(() => PretrainedEncoder.Open(copy));
        Assert.Contains("encoder.bin", e.Message);
    }

    [Theory]
    [InlineData(MaskingStrategy.Patch)]
    [InlineData(MaskingStrategy.Random)]
    public void Train_StoppedInEpoch2ThenResumed_WeightsBitIdenticalToUninterrupted(MaskingStrategy masking)
    {
        var options = LstmTestRuns.Pretrain(epochs: 3, masking);
        string Full()
        {
            using var data = SyntheticSequenceData.Create(256, 64, 12, seed: 5);
            return new MaskedPretrainer(options, TimeProvider.System).Train(data, RunDirectory.Open(LstmTestRuns.NewRun("kairos-mae-full"), false), false).RunDirectory;
        }
        var full = Full();

        var dir = LstmTestRuns.NewRun("kairos-mae-resume");
        using (var data = SyntheticSequenceData.Create(256, 64, 12, seed: 5))
            Assert.Throws<OperationCanceledException>(() => new MaskedPretrainer(options with { Training = options.Training with { StopAfterSteps = 12 } }, TimeProvider.System)
                .Train(data, RunDirectory.Open(dir, false), false));
        Assert.True(Directory.Exists(Path.Combine(dir + ".partial", "checkpoints", "epoch_0001")));
        using (var data = SyntheticSequenceData.Create(256, 64, 12, seed: 5))
            new MaskedPretrainer(options, TimeProvider.System).Train(data, RunDirectory.Open(dir, true), true);

        Assert.Equal(File.ReadAllBytes(Path.Combine(full, "model.bin")), File.ReadAllBytes(Path.Combine(dir, "model.bin")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(full, "encoder.bin")), File.ReadAllBytes(Path.Combine(dir, "encoder.bin")));
    }

    [Fact]
    public void Train_BadOptions_EveryProblemReportedTogether()
    {
        using var data = SyntheticSequenceData.Create(32, 8, 12, seed: 5);
        var options = LstmTestRuns.Pretrain(1) with { MaskRatio = 1.5, PatchLength = 0, Encoder = LstmTestRuns.TinyEncoder with { HiddenSize = 0 } };
        var e = Assert.Throws<Kairos.Errors.ConfigException>(() => new MaskedPretrainer(options, TimeProvider.System)
            .Train(data, RunDirectory.Open(LstmTestRuns.NewRun("kairos-mae-bad"), false), false));
        Assert.Contains(e.Problems, p => p.StartsWith("--mask-ratio", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("--patch-length", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("--hidden", StringComparison.Ordinal));
    }
}
