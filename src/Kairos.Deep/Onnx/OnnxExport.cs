namespace Kairos.Deep.Onnx;

/// <summary>A finished ONNX export of a bundle: where it is and what it holds (<c>onnx_export.json</c> describes it in full).</summary>
public sealed record OnnxExport(string Directory, string BundleId, string FeatureContractHash, IReadOnlyList<OnnxExportFile> Files);
