namespace Kairos.Deep.Onnx;

/// <summary>One file of an ONNX export: its name in the export directory, the bundle component it came from, size and SHA-256.</summary>
public sealed record OnnxExportFile(string File, string Component, long Bytes, string Sha256);
