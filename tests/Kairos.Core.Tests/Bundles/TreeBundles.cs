using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Calibration;
using Kairos.Trees;

namespace Kairos.Tests.Bundles;

/// <summary>A bundle whose trees are real LightGBM models (two seeds per group) trained on synthetic data.</summary>
internal static class TreeBundles
{
    public static readonly string[] Features = ["f0", "f1", "f2", "f3", "f4", "f5"];

    public static FeatureMatrix Matrix(int rows, int seed, out int[] labels)
    {
        var random = new Random(seed);
        var values = new float[rows * Features.Length];
        labels = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            double signal = 0;
            for (var j = 0; j < Features.Length; j++)
            {
                var x = (float)(random.NextDouble() * 2 - 1);
                values[i * Features.Length + j] = x;
                signal += x * (j + 1) * 0.3;
            }
            labels[i] = signal + random.NextDouble() - 0.5 > 0 ? 1 : 0;
        }
        return new FeatureMatrix(values, rows, Features);
    }

    public static (string Dir, GbdtEnsemble Ensemble, SessionCalibratorSet Calibrators) Build(string work)
    {
        var train = Matrix(3000, 1, out var trainLabels);
        var valid = Matrix(800, 2, out var validLabels);
        var ensemble = GbdtEnsemble.Train(train, trainLabels, valid, validLabels, new GbdtParameters { MaxIterations = 60, Threads = 1, MinDataInLeaf = 20 }, [], members: 2);
        var calibrators = new SessionCalibratorSet(CalibrationMethod.Platt, new Dictionary<(string, string), ICalibrator>
        {
            [("EU", "all")] = new PlattCalibrator(-0.9, 0.1, 400, 200),
            [("US", "all")] = new PlattCalibrator(-1.2, -0.05, 400, 190),
        }, "test");

        var sources = Path.Combine(work, "tree-sources");
        Directory.CreateDirectory(sources);
        var files = new List<BundleSourceFile>();
        for (var m = 0; m < 2; m++)
        {
            var path = Path.Combine(sources, $"final_m{m}.txt");
            File.WriteAllText(path, ensemble.Members[m].ModelText);
            files.Add(new(path, $"trees/models/EU_US/final_m{m}.txt"));
        }
        var calibratorsPath = Path.Combine(sources, "calibrators.json");
        calibrators.Save(calibratorsPath);
        files.Add(new(calibratorsPath, "trees/calibrators.json"));
        var gbdt = new JsonObject
        {
            ["feature_names"] = new JsonArray(Features.Select(f => (JsonNode?)f).ToArray()),
            ["groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "EU_US",
                ["sessions"] = new JsonArray("EU", "US"),
                ["final"] = new JsonArray(new JsonObject { ["file"] = "models/EU_US/final_m0.txt" }, new JsonObject { ["file"] = "models/EU_US/final_m1.txt" }),
            }),
        };
        var gbdtPath = Path.Combine(sources, "gbdt.json");
        File.WriteAllText(gbdtPath, gbdt.ToJsonString());
        files.Add(new(gbdtPath, "trees/gbdt.json"));

        var draft = TestBundles.Draft(work);
        var metadata = draft.Metadata with
        {
            CalibrationMethod = "platt",
            Components = new Dictionary<string, string>(draft.Metadata.Components) { ["calibrators"] = "trees/calibrators.json" },
        };
        var card = draft.Card with
        {
            Calibration = new ModelCardCalibration
            {
                Required = true,
                Method = "platt",
                PerSession = [new SessionCalibration { Session = "EU", Method = "platt", Path = "trees/calibrators.json" }, new SessionCalibration { Session = "US", Method = "platt", Path = "trees/calibrators.json" }],
            },
        };
        draft = draft with { Files = draft.Files.Concat(files).ToArray(), Metadata = metadata, Card = card };
        return (TestBundles.Build(work, draft).Directory, ensemble, calibrators);
    }
}
