using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Errors;
using Kairos.Tests;

namespace Kairos.Deep.Tests.Lstm;

public class LstmPredictorTests
{
    private static SequenceTrainingData Data() => SyntheticSequenceData.Create(128, 48, 12, seed: 4);

    /// <summary>A finished 2-epoch classifier run on synthetic windows (in-memory data: no predictions files).</summary>
    private static readonly Lazy<string> Run = new(() =>
    {
        using var data = Data();
        return new LstmTrainer(LstmTestRuns.Classifier(epochs: 2), TimeProvider.System)
            .Train(data, null, RunDirectory.Open(LstmTestRuns.NewRun("kairos-lstm-predictor"), false), false).RunDirectory;
    });

    [Fact]
    public void Predict_AnyBatchSize_SameProbabilitiesAsTheRunsValidationScores()
    {
        using var data = Data();
        using var predictor = LstmPredictor.Open(Run.Value + Path.DirectorySeparatorChar);

        var whole = predictor.Predict(data.Validation!);
        var ones = predictor.Predict(data.Validation!, batchSize: 1);
        var sevens = predictor.Predict(data.Validation!, batchSize: 7);

        Assert.Equal(48, whole.Length);
        for (var i = 0; i < whole.Length; i++)
        {
            Assert.InRange(whole[i], double.Epsilon, 1 - 1e-12);
            Assert.Equal(whole[i], ones[i], 1e-6);
            Assert.Equal(whole[i], sevens[i], 1e-6);
        }
        Assert.True(whole.Distinct().Count() > 24);
        // validation.json was scored by the trainer with the final weights it saved.
        var recorded = RunJson.Read<ValidationScores>(Path.Combine(Run.Value, "validation.json"));
        var scores = LstmTrainer.Score(whole, LstmTrainer.Labels(data.Validation!));
        Assert.Equal(recorded.Brier, scores.Brier, 9);
        Assert.Equal(recorded.PrAuc!.Value, scores.PrAuc!.Value, 9);
        Assert.Empty(RunJson.Read<TrainingMetrics>(Path.Combine(Run.Value, "metrics.json")).Predictions);
        Assert.Empty(Directory.GetFiles(Run.Value, "predictions_*.csv"));
    }

    [Fact]
    public void Predict_RepeatedCalls_LeakNoTensors()
    {
        using var data = Data();
        using var predictor = LstmPredictor.Open(Run.Value);
        predictor.Predict(data.Validation!, batchSize: 16);
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var k = 0; k < 3; k++) predictor.Predict(data.Validation!, batchSize: 16);

        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void PredictSplit_DatasetWithOtherFeatureContract_RefusesNamingBothHashes()
    {
        using var predictor = LstmPredictor.Open(Run.Value);
        var dataset = Kairos.Datasets.DatasetReader.Open(LstmTestRuns.RealDataset).Metadata;

        var e = Assert.Throws<VerificationException>(() => predictor.PredictSplit(LstmTestRuns.RealDataset, "val"));

        Assert.Contains(dataset.FeatureContractHash, e.Message);
        Assert.Contains(predictor.Metadata.FeatureContractHash, e.Message);
    }

    [Fact]
    public void Open_DirectoryWithoutRun_FailsNamingTheMissingFile()
    {
        var dir = TestData.TempDirectory("kairos-lstm-norun");

        var e = Assert.Throws<DataException>(() => LstmPredictor.Open(dir));

        Assert.Equal("lstm-metadata-missing", e.Rule);
        Assert.Equal(Path.Combine(dir, "bundle_metadata.json"), e.File);
    }

    [Fact]
    public void Open_HybridRunMetadata_FailsNamingModelVariant()
    {
        var dir = TestData.TempDirectory("kairos-lstm-hybridrun");
        File.WriteAllText(Path.Combine(dir, "bundle_metadata.json"), """{"schema_version": 1, "model_variant": "v10_ctx_gated", "weights_file": "model.bin"}""");

        var e = Assert.Throws<DataException>(() => LstmPredictor.Open(dir));

        Assert.Equal("not-an-lstm-run", e.Rule);
        Assert.Equal("model_variant", e.Column);
        Assert.Contains("'v10_ctx_gated'", e.Message);
    }

    [Fact]
    public void Open_TamperedWeights_FailsVerification()
    {
        var dir = TestData.TempDirectory("kairos-lstm-tampered");
        foreach (var name in new[] { "bundle_metadata.json", "model.bin" })
            File.Copy(Path.Combine(Run.Value, name), Path.Combine(dir, name));
        var bytes = File.ReadAllBytes(Path.Combine(dir, "model.bin"));
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(dir, "model.bin"), bytes);

        var e = Assert.Throws<VerificationException>(() => LstmPredictor.Open(dir));

        Assert.Contains("weights_sha256", e.Message);
    }
}
