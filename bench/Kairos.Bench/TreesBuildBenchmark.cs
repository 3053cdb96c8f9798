using System.Diagnostics;
using System.Globalization;
using Kairos.Trees;

namespace Kairos.Bench;

/// <summary>
/// <c>trees-build --dataset DIR --mode matrix|chunked|binary [--iterations N] [--binary-dir DIR]</c>: one pooled LightGBM
/// model on a dataset's train split, validated on val, built the way <c>--mode</c> says, and trained N
/// iterations (default 50). Run as a child of <see cref="ScaleBenchmark"/> (<c>scale --train</c>) so that its peak
/// resident memory is its own.
/// <list type="bullet">
/// <item><c>matrix</c>: the trees stage's path: <see cref="GbdtDatasetInput.Load"/> (every split as feature matrices), then <see cref="LightGbmDataset.Create"/>;</item>
/// <item><c>chunked</c>: <see cref="ParquetFeatureRows"/> + <see cref="LightGbmDataset.CreateChunked"/> from the split files, then
/// <see cref="LightGbmDataset.SaveBinary"/> into <c>--binary-dir</c> when given;</item>
/// <item><c>binary</c>: <see cref="LightGbmDataset.OpenBinary"/> of the files <c>chunked</c> saved.</item>
/// </list>
/// Prints <c>trees-build rows=R build_s=B train_s=T samples_per_s=S</c> and the model's SHA-256 prefix (equal across modes).
/// </summary>
public static class TreesBuildBenchmark
{
    public static int Run(string[] args)
    {
        var dataset = BenchArgs.Option(args, "--dataset") ?? throw new ArgumentException("--dataset DIR is required");
        var mode = BenchArgs.Option(args, "--mode") ?? "matrix";
        var iterations = int.Parse(BenchArgs.Option(args, "--iterations") ?? "50", CultureInfo.InvariantCulture);
        var binaryDir = BenchArgs.Option(args, "--binary-dir");
        var clock = Stopwatch.StartNew();
        var meta = Kairos.Datasets.DatasetReader.Open(dataset).Metadata;
        var categorical = meta.ContextCategorical.ToList();
        var features = meta.SnapshotFeatures.Concat(meta.ContextContinuous).Concat(categorical).ToList();
        var parameters = new GbdtParameters { MaxIterations = iterations, Threads = 2 }.ToLightGbmString(categorical.Select(c => features.IndexOf(c)).ToArray());
        LightGbmDataset train, valid;
        switch (mode)
        {
            case "matrix":
            {
                var problem = GbdtDatasetInput.Load(dataset, GbdtModelMode.Pooled).Problem;
                train = LightGbmDataset.Create(problem.Train.Features, problem.Train.Labels, parameters);
                valid = LightGbmDataset.Create(problem.Validation.Features, problem.Validation.Labels, parameters, train);
                break;
            }
            case "chunked":
            {
                var trainRows = new ParquetFeatureRows(Path.Combine(dataset, meta.Split("train").File), features);
                var validRows = new ParquetFeatureRows(Path.Combine(dataset, meta.Split("val").File), features);
                train = LightGbmDataset.CreateChunked(trainRows, trainRows.Labels(), parameters);
                valid = LightGbmDataset.CreateChunked(validRows, validRows.Labels(), parameters, train);
                if (binaryDir is not null)
                {
                    train.SaveBinary(Path.Combine(binaryDir, "train.bin"));
                    valid.SaveBinary(Path.Combine(binaryDir, "val.bin"));
                }
                break;
            }
            case "binary":
                train = LightGbmDataset.OpenBinary(Path.Combine(binaryDir ?? throw new ArgumentException("--binary-dir DIR is required"), "train.bin"), parameters);
                valid = LightGbmDataset.OpenBinary(Path.Combine(binaryDir, "val.bin"), parameters, train);
                break;
            default:
                Console.Error.WriteLine("usage: trees-build --dataset DIR --mode matrix|chunked|binary [--iterations N] [--binary-dir DIR]");
                return 2;
        }
        var build = clock.Elapsed.TotalSeconds;
        clock.Restart();
        string model;
        using (train)
        using (valid)
        using (var booster = LightGbmBooster.Create(train, parameters))
        {
            booster.AddValidation(valid);
            for (var i = 0; i < iterations; i++) booster.UpdateOneIteration();
            model = booster.SaveToString();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(model)))[..12];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trees-build rows={meta.Split("train").Rows} build_s={build:F2} train_s={seconds:F2} samples_per_s={meta.Split("train").Rows * (double)iterations / seconds:F0} model={hash}"));
        return 0;
    }
}
