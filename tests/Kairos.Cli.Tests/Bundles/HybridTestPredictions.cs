using System.Globalization;
using System.Text;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Features;
using static TorchSharp.torch;

namespace Kairos.Tests.Bundles;

/// <summary>
/// The direction probabilities of a trained hybrid run on one split of its dataset, written as an evaluation
/// predictions CSV (<c>timestamp,y_true,y_prob,session</c>): the run's weights and metadata, the split's tensors
/// built by the trainer's own loader, eval mode, no gradients. Stands in for the run's predictions files until
/// <c>kairos train hybrid</c> writes them.
/// </summary>
internal static class HybridTestPredictions
{
    public static string Write(string runDirectory, string dataset, string split, string path)
    {
        var metadata = RunJson.Read<HybridBundleMetadata>(Path.Combine(runDirectory, "bundle_metadata.json"));
        using var data = HybridDatasetLoader.Load(dataset, new HybridDatasetOptions
        {
            TrainSplit = split, ValidationSplit = null, UseTreeSignals = metadata.UsesTreeSignals,
        });
        var schema = data.Schema;
        using var model = new HybridModel(schema, metadata.Architecture, metadata.InputStandardization, new Generator());
        model.load(Path.Combine(runDirectory, metadata.WeightsFile));
        model.eval();
        var tensors = data.Train;
        var probabilities = new float[tensors.Count];
        using (no_grad())
        {
            for (long start = 0; start < tensors.Count; start += 512)
            {
                using var scope = NewDisposeScope();
                var batch = tensors.Slice(start, Math.Min(512, tensors.Count - start));
                model.forward(batch).Direction.sigmoid().data<float>().ToArray().CopyTo(probabilities, start);
            }
        }

        var rows = DatasetReader.Open(dataset).ReadSplit(split);
        var labels = rows.Int("y_direction");
        var sessions = rows.Int("session_id");
        var text = new StringBuilder("timestamp,y_true,y_prob,session\n");
        for (var i = 0; i < rows.Rows; i++)
            text.Append(CultureInfo.InvariantCulture, $"{DateTimeOffset.FromUnixTimeSeconds(rows.Timestamp[i]):yyyy-MM-ddTHH:mm:ssZ},{labels[i]},{probabilities[i]:R},{SessionTable.Names[sessions[i]]}\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
