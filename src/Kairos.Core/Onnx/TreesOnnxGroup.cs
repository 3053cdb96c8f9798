using System.Text.Json.Nodes;

namespace Kairos.Onnx;

/// <summary>One session group's trees converted by <see cref="TreesOnnxExporter"/>: the file name to write, the model's bytes and its <c>onnx_export.json</c> entry.</summary>
public sealed record TreesOnnxGroup(string FileName, byte[] Model, JsonObject Description);
