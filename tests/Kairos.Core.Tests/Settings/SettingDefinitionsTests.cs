using System.Reflection;
using Kairos.Datasets;
using Kairos.Evaluation;
using Kairos.Settings;
using YamlDotNet.RepresentationModel;

namespace Kairos.Tests.Settings;

/// <summary>Every setting defined once in the library is consistent: its default is allowed, its key is a YAML key, its ends behave as written.</summary>
public sealed class SettingDefinitionsTests
{
    public static TheoryData<string> Defined()
    {
        var data = new TheoryData<string>();
        foreach (var (owner, field) in All()) data.Add($"{owner.DeclaringType?.Name}.{field.Name}");
        return data;
    }

    [Theory]
    [MemberData(nameof(Defined))]
    public void Setting_DefaultAllowedKeySnakeCaseEndsAsWritten(string name)
    {
        var value = All().Single(f => $"{f.Owner.DeclaringType?.Name}.{f.Field.Name}" == name).Field.GetValue(null);
        switch (value)
        {
            case IntSetting i:
                Assert.Matches("^[a-z][a-z0-9_]*$", i.Key);
                Assert.True(i.Allows(i.Default), $"{name}: default {i.Default} outside {i.Range}");
                Assert.True(i.Allows(i.Min) && i.Allows(i.Max));
                if (i.Min > int.MinValue) Assert.Contains($"{i.Key} must be in {i.Range}", i.Problem(i.Min - 1));
                Assert.False(string.IsNullOrWhiteSpace(i.Help));
                break;
            case DoubleSetting d:
                Assert.Matches("^[a-z][a-z0-9_]*$", d.Key);
                Assert.True(d.Allows(d.Default), $"{name}: default {d.Default} outside {d.Range}");
                Assert.Equal(!d.MinExclusive, d.Allows(d.Min));
                Assert.Equal(!d.MaxExclusive, d.Allows(d.Max));
                Assert.False(d.Allows(double.NaN));
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
        var e = Assert.Throws<Kairos.Errors.ConfigException>(() => new EvaluationOptions { CalibrationBins = 0, Threshold = 1.5 }.Validate());
        Assert.Contains("bins must be in [1, 1000], got 0", e.Problems);
        Assert.Contains("threshold must be in [0, 1], got 1.5", e.Problems);
    }

    private static IEnumerable<(Type Owner, FieldInfo Field)> All() =>
        typeof(IntSetting).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (t, f)))
            .Where(x => x.f.FieldType == typeof(IntSetting) || x.f.FieldType == typeof(DoubleSetting))
            .OrderBy(x => x.t.FullName, StringComparer.Ordinal).ThenBy(x => x.f.Name, StringComparer.Ordinal);
}
