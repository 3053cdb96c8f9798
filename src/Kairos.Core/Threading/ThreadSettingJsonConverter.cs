using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Threading;

/// <summary>
/// <see cref="ThreadSetting"/> as JSON: the string <c>"auto"</c> or a number. Null (the "every core" of files
/// written before <c>auto</c> existed) reads as auto.
/// </summary>
internal sealed class ThreadSettingJsonConverter : JsonConverter<ThreadSetting>
{
    public override bool HandleNull => true;

    public override ThreadSetting Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return ThreadSetting.Auto;
            case JsonTokenType.Number when reader.TryGetInt32(out var n) && n >= 1:
                return ThreadSetting.Fixed(n);
            case JsonTokenType.String when ThreadSetting.TryParse(reader.GetString(), out var s, out _):
                return s;
            default:
                throw new JsonException("threads must be \"auto\" or a positive whole number");
        }
    }

    public override void Write(Utf8JsonWriter writer, ThreadSetting value, JsonSerializerOptions options)
    {
        if (value.Count is { } n) writer.WriteNumberValue(n);
        else writer.WriteStringValue("auto");
    }
}
