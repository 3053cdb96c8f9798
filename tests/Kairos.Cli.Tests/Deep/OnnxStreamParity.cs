using Kairos.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Replay;
using Kairos.Onnx.Runtime;
using Kairos.Replay;
using Kairos.Snapshots;

namespace Kairos.Tests.Deep;

/// <summary>
/// Streams the EURUSD 2025 bars from a bundle's test period through its features and trees, scoring each eligible bar
/// with the libtorch scorer and the ONNX scorer of an export (bar by bar, and queued for a batch),
/// until a given number of bars are scored; shared by the TFT's and the LSTM's ONNX export tests.
/// </summary>
internal static class OnnxStreamParity
{
    /// <summary>Calls <paramref name="compare"/> with the libtorch heads, the ONNX heads bar by bar and the ONNX scorer holding the same bars queued.</summary>
    public static void Run(string bundleDirectory, Bundle bundle, string export, int count, Action<List<HybridHeads>, List<HybridHeads>, OnnxHybridScorer> compare)
    {
        var datasetPath = bundle.PathOf("dataset/dataset.json");
        var meta = Kairos.Datasets.DatasetReader.Open(Path.GetDirectoryName(datasetPath)!).Metadata;
        var stream = FeatureStream.FromDataset(meta, datasetPath);
        using var trees = TreeSignalModel.Load(Path.Combine(bundleDirectory, "trees"), stream);
        using var onnx = (OnnxHybridScorer)OnnxHybridScorer.Loader(export)(bundleDirectory, bundle.Metadata, stream);
        using var libtorch = HybridScorer.Open(bundleDirectory, bundle.Metadata, stream);
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        var from = meta.Split("test").StartTime!.Value;
        var expected = new List<HybridHeads>();
        var single = new List<HybridHeads>();
        for (var i = 0; i < bars.Count && expected.Count < count; i++)
        {
            stream.Update(Bar.At(bars, i));
            if (bars.Time[i] < from || stream.Reason != Kairos.Datasets.EligibilityReason.Eligible || !trees.Covers(stream.Context.SessionId)) continue;
            var signals = trees.Score(stream);
            expected.Add(libtorch.Score(stream, signals));
            single.Add(onnx.Score(stream, signals));
            onnx.Enqueue(stream, signals);
        }
        compare(expected, single, onnx);
    }
}
