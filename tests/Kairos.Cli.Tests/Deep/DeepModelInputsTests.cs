using Kairos.Datasets;
using Kairos.Deep.Bundles;
using Kairos.Replay;

namespace Kairos.Tests.Deep;

/// <summary>What a deep model was trained on against what a bundle's feature pipeline builds (replay, predict, serve; managed, libtorch and ONNX).</summary>
public class DeepModelInputsTests
{
    private static FeatureStream Stream()
    {
        var config = DatasetConfigLoader.Parse("seq_len: 8\nsequence_features: [ret_1, ret_3]\nsnapshot_features: [ret_1, ret_3, ret_6]\n");
        StandardScaler Unit(IReadOnlyList<string> names) => new(names, names.Select(_ => 0.0).ToArray(), names.Select(_ => 1.0).ToArray());
        var context = Unit(FeatureContract.ContinuousContext(config.SpreadSource));
        return new FeatureStream(config, new ScalerSet(Unit(config.EffectiveSequenceFeatures), Unit(config.EffectiveSnapshotFeatures), context, [], [], 100));
    }

    private static DeepModelInputs Of(FeatureStream s, string? scalerGroup = "train") => new(scalerGroup, s.SeqLen, s.Config.EffectiveSequenceFeatures,
        s.Config.EffectiveSnapshotFeatures, s.CategoricalNames, s.ContinuousNames);

    [Theory]
    [InlineData("train")]
    [InlineData(null)]
    public void Differences_TheStreamsOwnInputs_None(string? scalerGroup)
    {
        var stream = Stream();

        Assert.Empty(Of(stream, scalerGroup).Differences(stream, "the hybrid model was trained on"));
    }

    [Fact]
    public void Differences_EveryPartDiffers_OneProblemEachNamingModelAndPipeline()
    {
        var stream = Stream();
        var inputs = Of(stream) with
        {
            ScalerGroup = "val",
            SeqLen = 16,
            SequenceFeatures = ["ret_3", "ret_1"],
            SnapshotFeatures = ["ret_1"],
            ContextCategorical = [.. stream.CategoricalNames, "symbol_id"],
            ContextContinuous = [],
        };

        var problems = inputs.Differences(stream, "the tft model was trained on");

        Assert.Equal(
        [
            "the tft model was trained on inputs scaled with the dataset's 'val' scalers, replay scales with its 'train' scalers",
            "the tft model was trained on windows of 16 bars, the bundle's feature pipeline builds 8",
            "the tft model was trained on sequence features [ret_3, ret_1], the bundle's feature pipeline builds [ret_1, ret_3]",
            "the tft model was trained on snapshot features [ret_1], the bundle's feature pipeline builds [ret_1, ret_3, ret_6]",
            $"the tft model was trained on categorical context [{string.Join(", ", stream.CategoricalNames)}, symbol_id], the bundle's feature pipeline builds [{string.Join(", ", stream.CategoricalNames)}]",
            $"the tft model was trained on continuous context [], the bundle's feature pipeline builds [{string.Join(", ", stream.ContinuousNames)}]",
        ], problems);
    }
}
