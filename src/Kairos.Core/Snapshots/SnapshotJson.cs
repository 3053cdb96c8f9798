using Kairos.Artifacts;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kairos.Snapshots;

/// <summary>
/// JSON settings of snapshot manifests: snake_case names, enums as snake_case strings, invariant, with
/// source-generated metadata (no reflection at start-up).
/// </summary>
internal static class SnapshotJson
{
    public static readonly JsonSerializerOptions Options = ArtifactJson.With(o =>
    {
        o.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        o.TypeInfoResolver = SnapshotJsonContext.Default;
    });
}
