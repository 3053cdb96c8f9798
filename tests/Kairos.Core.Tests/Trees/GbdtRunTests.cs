using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Threading;
using Kairos.Trees;
using Kairos.Artifacts;

namespace Kairos.Tests.Trees;

public sealed class GbdtRunTests : IClassFixture<GbdtRunTests.Ran>
{
    /// <summary>One run of the whole stage on real bars, shared by the tests that read its output.</summary>
    public sealed class Ran
    {
        public Ran()
        {
            Out = TestData.TempDirectory("kairos-trees-out");
            Options = new GbdtRunOptions
            {
                Dataset = RealDataset.Path,
                Out = Out,
                EnrichedOut = Path.Combine(Out, "datasets"),
                BootstrapResamples = 200,
                Stage = GbdtStageTests.FastOptions with { Folds = 3 },
                Search = new GbdtSearchOptions { Trials = 3, Seed = 1 },
            };
            Report = GbdtRun.Execute(Options, TimeProvider.System, NullProgressSink.Instance);
        }

        public string Out { get; }
        public GbdtRunOptions Options { get; }
        public GbdtRunReport Report { get; }
    }

    private readonly Ran _ran;

    public GbdtRunTests(Ran ran) => _ran = ran;

    [Fact]
    public void Execute_RealBars_WritesEnrichedDatasetWithSignalsOnEverySplit()
    {
        var source = DatasetReader.Open(RealDataset.Path);
        var enriched = DatasetReader.Open(_ran.Report.EnrichedDatasetDirectory);

        Assert.False(source.Metadata.CalibrationApplied);
        Assert.True(enriched.Metadata.CalibrationApplied);
        Assert.Equal(TreeSignals.ColumnNames, enriched.Metadata.SignalColumns);
        Assert.Equal(source.Metadata.FeatureContractHash, enriched.Metadata.FeatureContractHash);
        Assert.NotEqual(source.Metadata.Id, enriched.Metadata.Id);
        Assert.Equal(source.SplitNames, enriched.SplitNames);
        foreach (var name in source.SplitNames)
        {
            var before = source.ReadSplit(name);
            var after = enriched.ReadSplit(name);
            Assert.Equal(before.Rows, after.Rows);
            Assert.Equal(before.Timestamp, after.Timestamp);
            Assert.Equal(before.Int("y_direction"), after.Int("y_direction"));
            var pCal = after.Double("p_cal");
            Assert.All(pCal, p => Assert.InRange(p, 1e-9, 1 - 1e-9));
            Assert.Equal(after.Double("margin").Select(TreeSignals.Sigmoid), after.Double("p_hat"));
            Assert.Equal(ParquetColumns.FileSha256(Path.Combine(enriched.Directory, enriched.Metadata.Split(name).File)), enriched.Metadata.Split(name).Sha256);
        }
        var metrics = _ran.Report.Metadata.Metrics;
        Assert.Equal(metrics["train"].Rows, metrics["train"].SignalSource["out_of_fold"]);
        Assert.Equal(0, metrics["test"].SignalSource["out_of_fold"]);
        Assert.True(File.Exists(Path.Combine(enriched.Directory, EnrichedDatasetWriter.SignalsFile)));
    }

    [Fact]
    public void Execute_RealBars_WritesLightGbmTextModelsCalibratorsAndMetadata()
    {
        var dir = _ran.Report.ArtifactDirectory;
        var meta = _ran.Report.Metadata;

        Assert.Equal(["EU", "OVERLAP", "US"], meta.Groups.Select(g => g.Name));
        Assert.Equal(3, meta.Search!.Complete + meta.Search.Pruned + meta.Search.Failed);
        Assert.DoesNotContain("session_id", meta.FeatureNames);
        foreach (var group in meta.Groups)
        {
            Assert.Equal(2, group.Final.Count);
            Assert.Equal(3, group.Folds.Count);
            foreach (var member in group.Final.Concat(group.Folds.SelectMany(f => f.Members)))
            {
                var text = File.ReadAllText(Path.Combine(dir, member.File));
                Assert.StartsWith("tree\nversion=v4", text, StringComparison.Ordinal);
                using var booster = LightGbmBooster.Load(text);
                Assert.Equal(meta.FeatureNames.Count, booster.FeatureCount);
            }
            Assert.True(meta.Importance[group.Name][0].Gain > 0);
        }
        var calibrators = SessionCalibratorSet.Load(Path.Combine(dir, "calibrators.json"));
        Assert.Equal(["EU", "OVERLAP", "US"], calibrators.Keys.Select(k => k.Session));
        Assert.NotNull(meta.Metrics["test"].RocAucCi95);
        var ci = meta.Metrics["test"].RocAucCi95!;
        Assert.InRange(meta.Metrics["test"].RocAuc!.Value, ci[0], ci[1]);
        Assert.DoesNotContain(Directory.GetDirectories(_ran.Out), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void Predictor_LoadedArtifact_ReproducesTestSignalsOfEnrichedDataset()
    {
        var input = GbdtDatasetInput.Load(RealDataset.Path, GbdtModelMode.PerSession);
        var test = input.Problem.Others.Single(s => s.Name == "test");
        var enriched = DatasetReader.Open(_ran.Report.EnrichedDatasetDirectory).ReadSplit("test");

        using var predictor = GbdtPredictor.Load(_ran.Report.ArtifactDirectory);
        var signals = predictor.Score(test.Features, test.Sessions);

        Assert.Equal(enriched.Double("p_cal"), signals.PCal);
        Assert.Equal(enriched.Double("uncertainty_score"), signals.UncertaintyScore);
    }

    [Fact]
    public void Predictor_CalibratorOfASessionRemoved_ThrowsNamingSessionBucketAndFile()
    {
        var copy = TestData.TempDirectory("kairos-trees-copy");
        foreach (var file in Directory.GetFiles(_ran.Report.ArtifactDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(_ran.Report.ArtifactDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var path = Path.Combine(copy, "calibrators.json");
        var set = SessionCalibratorSet.Load(path);
        new SessionCalibratorSet(set.Method, set.Keys.Where(k => k.Session != "US").ToDictionary(k => k, k => set.Get(k.Session, k.Bucket)), path).Save(path);
        var input = GbdtDatasetInput.Load(RealDataset.Path, GbdtModelMode.PerSession);
        var test = input.Problem.Others.Single(s => s.Name == "test");

        using var predictor = GbdtPredictor.Load(copy);
        var e = Assert.Throws<MissingCalibratorException>(() => predictor.Score(test.Features, test.Sessions));

        Assert.Equal("US", e.Session);
        Assert.Equal("all", e.Bucket);
        Assert.Equal(Path.GetFullPath(path), e.SearchedPath);
    }

    [Fact]
    public void Execute_ThreadsAuto_RecordsTheDecisionOfTheFinalFitAndTheThreadsOfEveryTrial()
    {
        var meta = _ran.Report.Metadata;
        var threads = meta.Threads!;

        Assert.Equal("auto", threads.Setting);
        Assert.InRange(threads.Threads, 1, Environment.ProcessorCount);
        Assert.StartsWith($"auto: {threads.Threads} of ", threads.Reason);
        Assert.Equal(threads.Threads, meta.Options.Parameters.Threads);
        Assert.Equal(3, meta.Search!.TrialThreads!.Values.Sum());
        Assert.All(meta.Search.TrialThreads.Keys, k => Assert.InRange(int.Parse(k, System.Globalization.CultureInfo.InvariantCulture), 1, Environment.ProcessorCount));
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(_ran.Report.ArtifactDirectory, GbdtArtifactMetadata.FileName)))!;
        Assert.Equal(threads.Reason, (string)written["threads"]!["reason"]!);
        Assert.Equal(threads.Threads, (int)written["threads"]!["threads"]!);
    }

    [Fact]
    public void Execute_OtherThreadSettings_SameArtifactId()
    {
        var fixedThreads = _ran.Options with
        {
            Threads = ThreadSetting.Fixed(3),
            Stage = _ran.Options.Stage with { Parameters = _ran.Options.Stage.Parameters with { Threads = 4 } },
        };

        var again = GbdtRun.Execute(fixedThreads, TimeProvider.System, NullProgressSink.Instance);

        Assert.True(again.Reused);
        Assert.Equal(_ran.Report.Metadata.Id, again.Metadata.Id);
    }

    [Fact]
    public void Execute_SameInputsAgain_ReturnsExistingArtifact()
    {
        var again = GbdtRun.Execute(_ran.Options, TimeProvider.System, NullProgressSink.Instance);

        Assert.True(again.Reused);
        Assert.Equal(_ran.Report.ArtifactDirectory, again.ArtifactDirectory);
        Assert.Equal(_ran.Report.Metadata.Id, again.Metadata.Id);
    }

    [Fact]
    public void Execute_EnrichedDatasetAsInput_IsRejected()
    {
        var e = Assert.Throws<DataException>(() => GbdtRun.Execute(_ran.Options with { Dataset = _ran.Report.EnrichedDatasetDirectory }, TimeProvider.System, NullProgressSink.Instance));

        Assert.Equal("already-enriched", e.Rule);
    }

    [Fact]
    public void Execute_BadOptions_ReportsEveryProblem()
    {
        var bad = _ran.Options with { Dataset = "/no/such/dataset", BootstrapResamples = 1, Search = new GbdtSearchOptions { Trials = -1 } };

        var e = Assert.Throws<ConfigException>(() => GbdtRun.Execute(bad, TimeProvider.System, NullProgressSink.Instance));

        Assert.Equal(3, e.Problems.Count);
    }
}
