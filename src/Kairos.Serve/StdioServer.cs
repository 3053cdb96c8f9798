using System.Text.Json;

namespace Kairos.Serve;

/// <summary>
/// <c>kairos serve --stdio</c>: one bar per NDJSON line in (a <see cref="BarInput"/> with its symbol, which may be left
/// out when the model serves one symbol), one line out per bar: its decision, or <c>{"error": {...}}</c> naming the
/// rule and the bar. Ends at the end of the input or on cancellation.
/// </summary>
public static class StdioServer
{
    public static async Task RunAsync(ServeEngine engine, TextReader input, TextWriter output, CancellationToken cancel)
    {
        var single = engine.Symbols.Count == 1 ? engine.Symbols[0] : null;
        var line = 0;
        while (!cancel.IsCancellationRequested)
        {
            var text = await input.ReadLineAsync(cancel).ConfigureAwait(false);
            if (text is null) break;
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            BarInput? bar;
            try
            {
                bar = JsonSerializer.Deserialize<BarInput>(text, ServeJson.Options);
            }
            catch (JsonException e)
            {
                bar = null;
                await Write(output, ServeResponses.Error(new BarRejection("unparsable-json", null, $"line {line}: {e.Message}", 0, null, null))).ConfigureAwait(false);
                continue;
            }
            if (bar is null) continue;
            var result = engine.Submit(bar.Symbol ?? single, [bar]);
            object answer = result.Decisions is { } d ? d[0]
                : result.Rejection is { } r ? ServeResponses.Error(r with { Index = line - 1 })
                : ServeResponses.Unavailable(result.Unavailable!);
            await Write(output, answer).ConfigureAwait(false);
        }
    }

    private static async Task Write(TextWriter output, object value)
    {
        await output.WriteLineAsync(JsonSerializer.Serialize(value, value.GetType(), ServeJson.Options)).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }
}
