using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Kairos.Deep.Runs;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Writes <see cref="HybridTrainerOptions"/> flat: the members of <see cref="HybridTrainerOptions.Training"/> first, in
/// their order, then <c>loss</c> and <c>model</c> (the shape of <c>train_config.json</c> and of the pipeline's hybrid stage
/// key from before the shared settings were composed). Reading takes the same shape; an absent training setting keeps
/// the hybrid's default (<see cref="HybridTrainerOptions.DefaultTraining"/>).
/// </summary>
public sealed class HybridTrainerOptionsJsonConverter : JsonConverter<HybridTrainerOptions>
{
    private const string LossKey = "loss";
    private const string ModelKey = "model";

    public override HybridTrainerOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonObject node) throw new JsonException("hybrid trainer options must be a JSON object");
        var training = JsonSerializer.SerializeToNode(HybridTrainerOptions.DefaultTraining, options)!.AsObject();
        HybridLossWeights? loss = null;
        HybridModelOptions? model = null;
        foreach (var (key, value) in node)
        {
            if (string.Equals(key, Name(LossKey, options), StringComparison.Ordinal)) loss = value.Deserialize<HybridLossWeights>(options);
            else if (string.Equals(key, Name(ModelKey, options), StringComparison.Ordinal)) model = value.Deserialize<HybridModelOptions>(options);
            else training[key] = value?.DeepClone();
        }
        var result = new HybridTrainerOptions { Training = training.Deserialize<SequenceTrainingOptions>(options)! };
        if (loss is not null) result = result with { Loss = loss };
        if (model is not null) result = result with { Model = model };
        return result;
    }

    public override void Write(Utf8JsonWriter writer, HybridTrainerOptions value, JsonSerializerOptions options)
    {
        var node = JsonSerializer.SerializeToNode(value.Training, options)!.AsObject();
        node[Name(LossKey, options)] = JsonSerializer.SerializeToNode(value.Loss, options);
        node[Name(ModelKey, options)] = JsonSerializer.SerializeToNode(value.Model, options);
        node.WriteTo(writer, options);
    }

    private static string Name(string key, JsonSerializerOptions options) => options.PropertyNamingPolicy?.ConvertName(key) ?? key;
}
