using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Datasets;
using Kairos.Features;
using Kairos.Progress;
using Kairos.Replay;
using Kairos.Snapshots;
using Kairos.Trees;

namespace Kairos.Tests.Replay;

/// <summary>Parity: trees scored bar by bar in replay equal the trees stage's offline signals for the same bars, on real EURUSD.</summary>
public class TreeSignalModelTests
{
    /// <summary>The trees stage's inputs from a dataset split: unscaled snapshot features, continuous context, categorical context without the session.</summary>
    private static GbdtSamples Samples(DatasetReader reader, string split, IReadOnlyList<string> features)
    {
        var data = reader.ReadSplit(split);
        var values = new float[data.Rows * features.Count];
        for (var c = 0; c < features.Count; c++)
        {
            var column = data.Columns.First(k => k.Key == features[c]).Value;
            for (var i = 0; i < data.Rows; i++)
                values[i * features.Count + c] = column is double[] d ? (float)d[i] : ((int[])column)[i];
        }
        var sessions = data.Int("session_id").Select(s => SessionTable.Names[s]).ToArray();
        return new GbdtSamples(split, data.Timestamp, sessions, new FeatureMatrix(values, data.Rows, features), data.Int("y_direction"));
    }

    [Fact]
    public void Score_RealEurusdTrees_EqualsTheStageSignalsOnValidationAndTestBars()
    {
        var all = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        const int n = 16000;
        var bars = new BarSeries(all.Symbol, all.BarSize, all.Time[..n], all.Open[..n], all.High[..n], all.Low[..n], all.Close[..n], all.Volume[..n], all.Spread![..n]);
        var config = new DatasetConfig
        {
            VolWindow = 1440,
            SnapshotFeatures = ["ret_1", "ret_12", "vol_12", "atr_14", "rsi_14", "ema_dist_21", "h1_ret_1", "spread_z_288"],
        };
        var root = TestData.TempDirectory();
        var built = DatasetBuilder.Build(new DatasetSource([bars], new Dictionary<string, string>()), config, Path.Combine(root, "datasets"));
        var reader = DatasetReader.Open(built.Directory);
        var meta = reader.Metadata;
        var features = meta.SnapshotFeatures.Concat(meta.ContextContinuous).Concat(meta.ContextCategorical.Where(c => c != "session_id")).ToList();
        var categorical = meta.ContextCategorical.Where(c => c != "session_id").Select(c => features.IndexOf(c)).ToArray();
        var problem = new GbdtProblem(Samples(reader, "train", features), Samples(reader, "val", features), [Samples(reader, "test", features)],
            categorical, meta.BarSeconds, config.Labels.Horizon);
        var trees = Path.Combine(root, "trees");
        var options = new GbdtStageOptions { Folds = 2, EnsembleSize = 2, Parameters = new GbdtParameters { MaxIterations = 60, NumLeaves = 15 } };
        using var stage = GbdtStage.Fit(problem, options, Path.Combine(trees, "calibrators.json"), NullProgressSink.Instance);
        WriteTreesArtifact(trees, stage, features);

        var stream = FeatureStream.FromDataset(meta, built.Directory);
        using var model = TreeSignalModel.Load(trees, stream);
        var byTime = new Dictionary<long, (string Split, int Row)>();
        foreach (var split in new[] { "val", "test" })
        {
            var times = reader.ReadSplit(split, ["timestamp"]).Timestamp;
            for (var i = 0; i < times.Length; i++) byTime[times[i]] = (split, i);
        }
        var compared = 0;
        for (var r = 0; r < bars.Count; r++)
        {
            stream.Update(Bar.At(bars, r));
            if (!byTime.TryGetValue(bars.Time[r], out var at)) continue;
            Assert.Equal(EligibilityReason.Eligible, stream.Reason);
            Assert.True(model.Covers(stream.Context.SessionId));
            var live = model.Score(stream);
            var offline = stage.Signals[at.Split];
            Assert.Equal(offline.Margin[at.Row], live.Margin, 1e-9);
            Assert.Equal(offline.PHat[at.Row], live.PHat, 1e-9);
            Assert.Equal(offline.PCal[at.Row], live.PCal, 1e-9);
            Assert.Equal(offline.Entropy[at.Row], live.Entropy, 1e-9);
            Assert.Equal(offline.UncertaintyScore[at.Row], live.UncertaintyScore, 1e-9);
            compared++;
        }
        Assert.Equal(byTime.Count, compared);
        Assert.True(compared > 1000, $"{compared} bars compared");
    }

    [Fact]
    public void Load_SessionWithoutCalibrator_FailsNamingTheSession()
    {
        var dir = TestData.TempDirectory();
        new SessionCalibratorSet(CalibrationMethod.Platt, new Dictionary<(string, string), ICalibrator> { [("EU", "all")] = new PlattCalibrator(1, 0, 10, 5) }, "test")
            .Save(Path.Combine(dir, "calibrators.json"));
        File.WriteAllText(Path.Combine(dir, "gbdt.json"), new JsonObject
        {
            ["feature_names"] = new JsonArray("ret_1"),
            ["calibration"] = new JsonObject { ["file"] = "calibrators.json", ["bucket"] = "all" },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "US", ["sessions"] = new JsonArray("US"), ["final"] = new JsonArray() }),
        }.ToJsonString());
        var stream = new FeatureStream(new DatasetConfig { SnapshotFeatures = ["ret_1"], SequenceFeatures = ["ret_1"] },
            new ScalerSet(new StandardScaler(["ret_1"], [0.0], [1.0]), new StandardScaler(["ret_1"], [0.0], [1.0]), new StandardScaler(["atr_bps", "spread_bps"], [0.0, 0.0], [1.0, 1.0]), [1, 2, 3], [1, 3], 100));

        var error = Assert.Throws<MissingCalibratorException>(() => TreeSignalModel.Load(dir, stream));
        Assert.Equal("US", error.Session);
    }

    private static void WriteTreesArtifact(string dir, GbdtStageResult stage, IReadOnlyList<string> features)
    {
        var groups = new JsonArray();
        foreach (var group in stage.Groups)
        {
            var final = new JsonArray();
            for (var k = 0; k < group.Final.Members.Count; k++)
            {
                var file = $"models/{group.Name}/final_m{k}.txt";
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, file))!);
                File.WriteAllText(Path.Combine(dir, file), group.Final.Members[k].ModelText);
                final.Add(new JsonObject { ["file"] = file });
            }
            groups.Add(new JsonObject { ["name"] = group.Name, ["sessions"] = new JsonArray(group.Sessions.Select(s => (JsonNode?)s).ToArray()), ["final"] = final });
        }
        stage.Calibrators.Save(Path.Combine(dir, "calibrators.json"));
        File.WriteAllText(Path.Combine(dir, "gbdt.json"), new JsonObject
        {
            ["feature_names"] = new JsonArray(features.Select(f => (JsonNode?)f).ToArray()),
            ["calibration"] = new JsonObject { ["method"] = "platt", ["bucket"] = "all", ["file"] = "calibrators.json", ["required"] = true },
            ["groups"] = groups,
        }.ToJsonString());
    }
}
