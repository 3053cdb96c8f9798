using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Threading;

namespace Kairos.Deep.Tests.Hybrid;

/// <summary>
/// The hybrid's options compose the shared training settings but are written flat (the shape of <c>train_config.json</c> and of
/// the pipeline's hybrid stage key before the composition), so unchanged settings keep their files and ids.
/// </summary>
public class HybridTrainerOptionsJsonTests
{
    private static readonly HybridTrainerOptions Options = new()
    {
        Training = HybridTrainerOptions.DefaultTraining with { Seed = 5, Epochs = 7, LimitSamples = 300, Threads = ThreadSetting.Fixed(2), GradientClip = 0.5 },
        Loss = new HybridLossWeights { Quality = 0.25 },
        Model = new HybridModelOptions { DModel = 32, Fusion = FusionKind.Gated },
    };

    [Fact]
    public void Serialize_TrainingSettingsBesideLossAndModel_InTheirOrder()
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(Options, RunJson.Options))!.AsObject();
        var training = JsonSerializer.SerializeToNode(Options.Training, RunJson.Options)!.AsObject();

        Assert.Equal([.. training.Select(p => p.Key), "loss", "model"], node.Select(p => p.Key));
        Assert.DoesNotContain("training", node.Select(p => p.Key));
        Assert.Equal(7, (int)node["epochs"]!);
        Assert.Equal(300, (long)node["limit_samples"]!);
        Assert.Equal(JsonSerializer.Serialize(Options.Model, RunJson.Options), node["model"]!.ToJsonString(RunJson.Options));
    }

    [Fact]
    public void Deserialize_WhatWasWritten_GivesTheSameOptions()
    {
        var back = JsonSerializer.Deserialize<HybridTrainerOptions>(JsonSerializer.Serialize(Options, RunJson.Options), RunJson.Options)!;

        Assert.Equal(Options.Training, back.Training);
        Assert.Equal(Options.Loss, back.Loss);
        Assert.Equal(Options.Model, back.Model);
    }

    [Fact]
    public void Deserialize_AbsentTrainingSettings_KeepTheHybridsDefaults()
    {
        var back = JsonSerializer.Deserialize<HybridTrainerOptions>("""{"epochs": 4}""", RunJson.Options)!;

        Assert.Equal(HybridTrainerOptions.DefaultTraining with { Epochs = 4 }, back.Training);
        Assert.Equal(1337, back.Training.Seed);
        Assert.Equal(new HybridModelOptions(), back.Model);
    }
}
