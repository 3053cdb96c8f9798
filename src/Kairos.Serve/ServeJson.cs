using System.Text.Json;
using Kairos.Journal;

namespace Kairos.Serve;

/// <summary>The JSON of the service and its journal (one definition, <see cref="JournalSegments.Json"/>): snake_case names, NaN / Infinity literals accepted on input.</summary>
public static class ServeJson
{
    public static readonly JsonSerializerOptions Options = JournalSegments.Json;
}
