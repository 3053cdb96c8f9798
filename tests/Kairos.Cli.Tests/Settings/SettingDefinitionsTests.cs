using System.CommandLine;
using System.Reflection;
using Kairos.Cli;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runs;
using Kairos.Deep.Tft;
using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Features;
using Kairos.Pipeline;
using Kairos.Settings;
using YamlDotNet.RepresentationModel;

namespace Kairos.Tests.Settings;

/// <summary>
/// Every setting defined once in the library (Kairos.Core and Kairos.Deep) is consistent: its default is allowed, its key is
/// a YAML key, its ends behave as written; and the readers take key, flag, default, range and help from it: the YAML
/// sections (the dataset config, the run config's deep sections with each family's defaults), the options records'
/// <c>Validate</c> / <c>Problems</c> and the command-line options of the training commands.
/// </summary>
public sealed class SettingDefinitionsTests
{
    public static TheoryData<string> Defined()
    {
        var data = new TheoryData<string>();
        foreach (var (owner, field) in All()) data.Add(Name(owner, field));
        return data;
    }

    [Theory]
    [MemberData(nameof(Defined))]
    public void Setting_DefaultAllowedKeySnakeCaseEndsAsWritten(string name)
    {
        var value = All().Single(f => Name(f.Owner, f.Field) == name).Field.GetValue(null);
        switch (value)
        {
            case IntSetting i:
                Assert.Matches("^[a-z][a-z0-9_]*$", i.Key);
                Assert.True(i.Allows(i.Default), $"{name}: default {i.Default} outside {i.Range}");
                Assert.True(i.Allows(i.Min) && i.Allows(i.Max));
                if (i.Min > int.MinValue) Assert.Equal($"{i.Key} must be {i.Rule}, got {i.Min - 1}", i.Problem(i.Min - 1));
                if (i.Min > int.MinValue) Assert.StartsWith($"{i.Flag} must be {i.Rule}", i.Problem(i.Min - 1, flag: true));
                if (i.Max < int.MaxValue) Assert.NotNull(i.Problem(i.Max + 1L));
                Assert.False(string.IsNullOrWhiteSpace(i.Help));
                break;
            case DoubleSetting d:
                Assert.Matches("^[a-z][a-z0-9_]*$", d.Key);
                Assert.True(d.Allows(d.Default), $"{name}: default {d.Default} outside {d.Range}");
                Assert.Equal(!d.MinExclusive, d.Allows(d.Min));
                Assert.Equal(!d.MaxExclusive, d.Allows(d.Max));
                Assert.False(d.Allows(double.NaN));
                Assert.False(d.Allows(double.PositiveInfinity));
                Assert.StartsWith($"{d.Key} must be {d.Rule}, got", d.Problem(double.NaN));
                Assert.False(string.IsNullOrWhiteSpace(d.Help));
                break;
            default:
                Assert.Fail($"{name} is {value?.GetType().Name}");
                break;
        }
    }

    [Fact]
    public void Keys_UniqueWithinEachOptionsRecord()
    {
        foreach (var group in All().GroupBy(f => f.Owner))
        {
            var keys = group.Select(f => f.Field.GetValue(null) switch { IntSetting i => i.Key, DoubleSetting d => d.Key, _ => "" }).ToList();
            Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public void Rule_UnboundedRangesReadAsWords()
    {
        Assert.Equal("lr must be positive, got 0", SequenceTrainingOptions.Settings.LearningRate.Problem(0));
        Assert.Equal("--patience must be in [0, 10000], got -1", SequenceTrainingOptions.Settings.Patience.Problem(-1, flag: true));
        Assert.Equal("seed must be >= 0, got -1", SequenceTrainingOptions.Settings.Seed.Problem(-1));
        Assert.Equal("weight_decay must be >= 0, got -0.5", SequenceTrainingOptions.Settings.WeightDecay.Problem(-0.5));
        Assert.Equal("seed must be >= 0, got 4294967296", SequenceTrainingOptions.Settings.Seed.Problem(1L << 32));
    }

    [Fact]
    public void YamlSection_ReadsTheSettingsRangeDefaultAndNamesItsLine()
    {
        var problems = new List<string>();
        var yaml = new YamlStream();
        yaml.Load(new StringReader("bins: 0\nthreshold: 1.5\n"));
        var section = new YamlSection((YamlMappingNode)yaml.Documents[0].RootNode, "evaluation", problems);

        Assert.Equal(EvaluationOptions.Settings.Bins.Default, section.Int(EvaluationOptions.Settings.Bins));
        Assert.Equal(EvaluationOptions.Settings.Threshold.Default, section.Double(EvaluationOptions.Settings.Threshold));
        Assert.Equal(EvaluationOptions.Settings.Bootstrap.Default, section.Int(EvaluationOptions.Settings.Bootstrap));
        Assert.Equal(["evaluation.bins (line 1): 0 is out of range [1, 1000]", "evaluation.threshold (line 2): 1.5 is out of range [0, 1]"], problems);
    }

    [Fact]
    public void Validate_NamesTheSameKeyAndRangeAsTheYaml()
    {
        var e = Assert.Throws<ConfigException>(() => new EvaluationOptions { CalibrationBins = 0, Threshold = 1.5 }.Validate());
        Assert.Contains("bins must be in [1, 1000], got 0", e.Problems);
        Assert.Contains("threshold must be in [0, 1], got 1.5", e.Problems);
    }

    [Fact]
    public void DatasetConfig_DefaultsAndRangesAreTheSettings()
    {
        var d = DatasetConfigLoader.Parse("symbols: [EURUSD]\n");
        Assert.Equal(DatasetConfig.Settings.SeqLen.Default, d.SeqLen);
        Assert.Equal(DatasetConfig.Settings.WarmupBars.Default, d.WarmupBars);
        Assert.Equal(DatasetConfig.Settings.SpreadHardCapBps.Default, d.SpreadHardCapBps);
        Assert.Equal(LabelOptions.Settings.DirectionHorizon.Default, d.Labels.DirectionHorizon);
        Assert.Equal(LabelOptions.Settings.BarrierUpperAtr.Default, d.Labels.BarrierUpperAtr);
        Assert.Equal(SplitOptions.Settings.Train.Default, d.Splits.Train);
        Assert.Equal(SplitOptions.Settings.EmbargoBars.Default, d.Splits.EmbargoBars);
        Assert.Equal(SessionTable.Settings.EuStart.Default, d.Sessions.EuStart);

        var seq = DatasetConfig.Settings.SeqLen;
        var early = LabelOptions.Settings.EarlyMoveAtr;
        var embargo = SplitOptions.Settings.EmbargoBars;
        var e = Assert.Throws<ConfigException>(() => DatasetConfigLoader.Parse(
            $"seq_len: {seq.Max + 1}\nlabels:\n  early_move_atr: {early.Min}\nsplits:\n  embargo_bars: {embargo.Min - 1}\n", "d.yaml"));
        Assert.Equal(
        [
            $"seq_len (line 1): {seq.Max + 1} is out of range {seq.Range}",
            $"labels.early_move_atr (line 3): 0 is out of range {early.Range}",
            $"splits.embargo_bars (line 5): {embargo.Min - 1} is out of range {embargo.Range}",
        ], e.Problems);
    }

    public static TheoryData<string> Families()
    {
        var data = new TheoryData<string>();
        foreach (var family in TrainingFamilies.Keys) data.Add(family);
        return data;
    }

    /// <summary>The training command of each family: its flags are the shared settings, with help, range and the family's default.</summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void TrainingCommand_FlagsHelpAndDefaultsAreTheFamilysSettings(string family)
    {
        var (path, defaults, model) = TrainingFamilies[family];
        var root = KairosCommand.Build();
        var command = Find(root, path);
        var parse = root.Parse([.. path, "--dataset", "d", "--out", "o"]);
        Assert.Empty(parse.Errors);
        var training = new SequenceTrainingSettings(defaults);
        var settings = training.All.Concat(model).ToList();
        foreach (var setting in settings)
        {
            switch (setting)
            {
                case IntSetting i:
                    var io = command.Options.Single(o => o.Name == i.Flag);
                    Assert.Equal(i.Description, io.Description);
                    Assert.Equal(i.Default, parse.GetValue((Option<int>)io));
                    break;
                case DoubleSetting d:
                    var dop = command.Options.Single(o => o.Name == d.Flag);
                    Assert.Equal(d.Description, dop.Description);
                    Assert.Equal(d.Default, parse.GetValue((Option<double>)dop));
                    break;
            }
        }
        Assert.Contains(SequenceTrainingOptions.Settings.Epochs.Help, command.Options.Single(o => o.Name == "--epochs").Description);
        Assert.DoesNotContain("default", command.Options.Single(o => o.Name == "--epochs").Description);   // System.CommandLine shows it (SettingOptionTests)
    }

    [Fact]
    public void TrainingSettings_FamilyDefaultsDiffer_RangeAndHelpShared()
    {
        var hybrid = new SequenceTrainingSettings(HybridTrainerOptions.DefaultTraining);
        var lstm = new SequenceTrainingSettings(new LstmTrainerOptions().Training);
        Assert.Equal(10, hybrid.Epochs.Default);
        Assert.Equal(30, lstm.Epochs.Default);
        Assert.Equal(hybrid.Epochs with { Default = 0 }, lstm.Epochs with { Default = 0 });
        Assert.Equal(SequenceTrainingOptions.Settings.LearningRate with { Default = 1e-4 }, hybrid.LearningRate);
    }

    [Fact]
    public void RunConfig_DeepSectionsTakeEachFamilysDefaultsAndTheSettingsRanges()
    {
        var config = ParseRun("hybrid: {d_model: 16, heads: 2}\n");
        AssertDefaults(RunConfigLoader.TrainingSettings(HybridTrainerOptions.DefaultTraining), config.Hybrid.Training);
        AssertDefaults(RunConfigLoader.TrainingSettings(new TftTrainerOptions().Training), config.Tft.Training);
        AssertDefaults(RunConfigLoader.TrainingSettings(RunConfigLoader.LstmTraining), config.Lstm.Training);
        Assert.Equal(TftModelOptions.Settings.Hidden.Default, config.Tft.Model.Hidden);
        Assert.Equal(BiLstmEncoderOptions.Settings.Hidden.Default, config.Lstm.Encoder.HiddenSize);
        Assert.Equal(LstmTrainerOptions.Settings.HeadHidden.Default, config.Lstm.HeadHidden);
        Assert.Equal(HybridModelOptions.Settings.FeedForward.Default, config.Hybrid.Model.FeedForward);

        var epochs = SequenceTrainingOptions.Settings.Epochs;
        var dropout = TftModelOptions.Settings.Dropout;
        var e = Assert.Throws<ConfigException>(() => ParseRun($"hybrid:\n  epochs: {epochs.Max + 1}\n  lr: 0\ntft:\n  dropout: 1\nlstm:\n  layers: 0\n"));
        Assert.Contains($"hybrid.epochs (line 7): {epochs.Max + 1} is out of range {epochs.Range}", e.Problems);
        Assert.Contains($"hybrid.lr (line 8): 0 is out of range {SequenceTrainingOptions.Settings.LearningRate.Range}", e.Problems);
        Assert.Contains($"tft.dropout (line 10): 1 is out of range {dropout.Range}", e.Problems);
        Assert.Contains($"lstm.layers (line 12): 0 is out of range {BiLstmEncoderOptions.Settings.Layers.Range}", e.Problems);
    }

    [Fact]
    public void Problems_NameTheFlagOnTheCommandLineAndTheKeyInTheConfig()
    {
        var bad = new SequenceTrainingOptions { Epochs = 0, LearningRate = 0, WarmupFraction = 1 };
        Assert.Equal(["--epochs must be in [1, 10000], got 0", "--lr must be positive, got 0", "--warmup-fraction must be in [0, 1), got 1"], bad.Problems());
        Assert.Equal(["epochs must be in [1, 10000], got 0", "lr must be positive, got 0", "warmup_fraction must be in [0, 1), got 1"], bad.Problems(settingNames: true));
        Assert.Contains("--dropout must be in [0, 1), got 1.5", new TftModelOptions { Dropout = 1.5 }.Problems());
        Assert.Contains("huber_delta must be positive, got 0", new HybridLossWeights { HuberDelta = 0 }.Problems());
    }

    private static readonly Dictionary<string, (string[] Path, SequenceTrainingOptions Defaults, object[] Model)> TrainingFamilies = new()
    {
        ["hybrid"] = (["train", "hybrid"], HybridTrainerOptions.DefaultTraining,
            [HybridModelOptions.Settings.DModel, HybridModelOptions.Settings.Heads, HybridModelOptions.Settings.Layers, HybridModelOptions.Settings.FeedForward,
             HybridModelOptions.Settings.Dropout, HybridLossWeights.Settings.Direction, HybridLossWeights.Settings.EarlyMove, HybridLossWeights.Settings.Quality,
             HybridLossWeights.Settings.GateStability, HybridLossWeights.Settings.HuberDelta]),
        ["tft"] = (["train", "tft"], new TftTrainerOptions().Training,
            [TftModelOptions.Settings.Hidden, TftModelOptions.Settings.Heads, TftModelOptions.Settings.LstmLayers, TftModelOptions.Settings.Dropout,
             HybridLossWeights.Settings.Direction, HybridLossWeights.Settings.EarlyMove, HybridLossWeights.Settings.Quality, HybridLossWeights.Settings.HuberDelta]),
        ["lstm"] = (["train", "lstm"], new LstmTrainerOptions().Training,
            [BiLstmEncoderOptions.Settings.Hidden, BiLstmEncoderOptions.Settings.Layers, BiLstmEncoderOptions.Settings.Dropout,
             LstmTrainerOptions.Settings.EncoderLearningRateRatio, LstmTrainerOptions.Settings.HeadHidden, LstmTrainerOptions.Settings.HeadDropout,
             AugmentationOptions.Settings.Jitter, AugmentationOptions.Settings.Scaling, AugmentationOptions.Settings.TimeWarp]),
        ["pretrain"] = (["pretrain"], new PretrainOptions().Training,
            [BiLstmEncoderOptions.Settings.Hidden, BiLstmEncoderOptions.Settings.Layers, BiLstmEncoderOptions.Settings.Dropout,
             PretrainOptions.Settings.MaskRatio, PretrainOptions.Settings.PatchLength, Ts2VecOptions.Settings.Alpha, Ts2VecOptions.Settings.TemporalUnit,
             Ts2VecOptions.Settings.TimestampMaskRatio]),
    };

    private static void AssertDefaults(SequenceTrainingSettings family, SequenceTrainingOptions read)
    {
        Assert.Equal(family.Defaults, read);
        Assert.Equal(family.Epochs.Default, read.Epochs);
        Assert.Equal(family.BatchSize.Default, read.BatchSize);
        Assert.Equal(family.LearningRate.Default, read.LearningRate);
        Assert.Equal(family.Patience.Default, read.EarlyStoppingPatience);
        Assert.Equal(0, read.LogEvery);
    }

    private static RunConfig ParseRun(string sections)
    {
        var dir = TestData.TempDirectory("kairos-settings-run");
        File.WriteAllText(Path.Combine(dir, "bars.csv"), "");
        var yaml = $"input:\n  files: [bars.csv]\n  symbol: EURUSD\ntrees:\n  trials: 0\n{sections}registry: out/registry\nout: out\n";
        return RunConfigLoader.Parse(yaml, Path.Combine(dir, "run.yaml"));
    }

    private static Command Find(Command root, string[] path) =>
        path.Aggregate(root, (c, name) => c.Subcommands.Single(s => s.Name == name));

    private static string Name(Type owner, FieldInfo field) => $"{owner.DeclaringType?.Name}.{field.Name}";

    private static IEnumerable<(Type Owner, FieldInfo Field)> All() =>
        new[] { typeof(IntSetting).Assembly, typeof(SequenceTrainingOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (t, f)))
            .Where(x => x.f.FieldType == typeof(IntSetting) || x.f.FieldType == typeof(DoubleSetting))
            .OrderBy(x => x.t.FullName, StringComparer.Ordinal).ThenBy(x => x.f.Name, StringComparer.Ordinal);
}
