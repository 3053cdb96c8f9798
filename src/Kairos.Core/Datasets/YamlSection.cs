using System.Globalization;
using Kairos.Errors;
using Kairos.Settings;
using Kairos.Threading;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kairos.Datasets;

/// <summary>
/// Reads one YAML mapping with typed accessors, collecting every problem (bad type, out of range,
/// unknown key) with its dotted path and line instead of stopping at the first. Shared by every YAML
/// configuration (the dataset config, the <c>kairos run</c> config).
/// </summary>
public sealed class YamlSection
{
    private readonly YamlMappingNode? _node;
    private readonly string _path;
    private readonly List<string> _problems;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlSection(YamlMappingNode? node, string path, List<string> problems)
    {
        _node = node;
        _path = path;
        _problems = problems;
    }

    /// <summary>
    /// The root mapping of a YAML configuration document; null when the document is empty or a lone null (every setting
    /// takes its default). Text that is not YAML, or a root that is not a mapping, is a <see cref="ConfigException"/>
    /// naming <paramref name="source"/> (and the line, for a syntax error).
    /// </summary>
    /// <param name="settings">What the mapping holds, for the error ("settings", "backtest settings").</param>
    public static YamlMappingNode? ParseDocument(string yaml, string source, string settings)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException(source, [$"line {e.Start.Line}: not valid YAML: {e.Message}"]);
        }
        if (stream.Documents.Count == 0) return null;
        return stream.Documents[0].RootNode switch
        {
            YamlMappingNode mapping => mapping,
            YamlScalarNode { Value: null or "" } => null,
            _ => throw new ConfigException(source, [$"the document must be a mapping of {settings}"]),
        };
    }

    private string Path(string key) => _path.Length == 0 ? key : _path + "." + key;

    private YamlNode? Get(string key)
    {
        _known.Add(key);
        if (_node is null) return null;
        foreach (var (k, v) in _node.Children)
            if (k is YamlScalarNode s && s.Value == key)
                return v is YamlScalarNode { Value: null or "~" or "null" } ? null : v;
        return null;
    }

    private void Problem(string key, string message, YamlNode? node) =>
        _problems.Add($"{Path(key)}{(node is null ? "" : $" (line {node.Start.Line})")}: {message}");

    /// <summary>The dotted path of this mapping ("" at the root).</summary>
    public string Location => _path;

    /// <summary>The raw node of <paramref name="key"/> (null when absent), marking the key as known.</summary>
    public YamlNode? Node(string key) => Get(key);

    /// <summary>Records a problem with <paramref name="key"/>, naming its line when the key is present.</summary>
    public void Report(string key, string message)
    {
        YamlNode? node = null;
        if (_node is not null)
            foreach (var (k, v) in _node.Children)
                if (k is YamlScalarNode s && s.Value == key) node = v;
        Problem(key, message, node);
    }

    public YamlSection Section(string key)
    {
        var node = Get(key);
        if (node is null or YamlMappingNode) return new YamlSection(node as YamlMappingNode, Path(key), _problems);
        Problem(key, "expected a mapping", node);
        return new YamlSection(null, Path(key), _problems);
    }

    public string? Scalar(string key)
    {
        var node = Get(key);
        if (node is null) return null;
        if (node is YamlScalarNode s) return s.Value;
        Problem(key, "expected a single value", node);
        return null;
    }

    public double Double(string key, double fallback, double min, double max, bool minExclusive = false)
    {
        var node = Get(key);
        if (node is null) return fallback;
        if (node is not YamlScalarNode s || !double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        {
            Problem(key, $"expected a number, got '{(node as YamlScalarNode)?.Value}'", node);
            return fallback;
        }
        if (v < min || v > max || (minExclusive && v == min))
        {
            Problem(key, $"{v.ToString(CultureInfo.InvariantCulture)} is out of range {(minExclusive ? "(" : "[")}{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]", node);
            return fallback;
        }
        return v;
    }

    /// <summary>A thread setting: <c>auto</c> (also when absent) or a whole number from 1 to 1024.</summary>
    public ThreadSetting Threads(string key)
    {
        var node = Get(key);
        if (node is null) return ThreadSetting.Auto;
        string? problem = "expected 'auto' or a whole number, got a list or mapping";
        if (node is YamlScalarNode s && ThreadSetting.TryParse(s.Value, out var setting, out problem)) return setting;
        Problem(key, problem!, node);
        return ThreadSetting.Auto;
    }

    public int Int(string key, int fallback, int min, int max)
    {
        var node = Get(key);
        if (node is null) return fallback;
        if (node is not YamlScalarNode s || !int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            Problem(key, $"expected an integer, got '{(node as YamlScalarNode)?.Value}'", node);
            return fallback;
        }
        if (v < min || v > max)
        {
            Problem(key, $"{v} is out of range [{min}, {max}]", node);
            return fallback;
        }
        return v;
    }

    /// <summary>The whole number at <paramref name="setting"/>'s key, within its range; its default (or <paramref name="fallback"/>) when absent.</summary>
    public int Int(IntSetting setting, int? fallback = null) => Int(setting.Key, fallback ?? setting.Default, setting.Min, setting.Max);

    /// <summary>The number at <paramref name="setting"/>'s key, within its interval; its default (or <paramref name="fallback"/>) when absent.</summary>
    public double Double(DoubleSetting setting, double? fallback = null)
    {
        var v = Double(setting.Key, fallback ?? setting.Default, double.NegativeInfinity, double.PositiveInfinity);
        if (Get(setting.Key) is { } node && !setting.Allows(v))
        {
            Problem(setting.Key, $"{v.ToString(CultureInfo.InvariantCulture)} is out of range {setting.Range}", node);
            return fallback ?? setting.Default;
        }
        return v;
    }

    public int? OptionalInt(string key, int min, int max)
    {
        if (Get(key) is null) return null;
        return Int(key, min, min, max);
    }

    public bool Bool(string key, bool fallback)
    {
        var node = Get(key);
        if (node is null) return fallback;
        if (node is YamlScalarNode s && bool.TryParse(s.Value, out var v)) return v;
        Problem(key, $"expected true or false, got '{(node as YamlScalarNode)?.Value}'", node);
        return fallback;
    }

    /// <summary>The choice at <paramref name="setting"/>'s key, one of its names; its default when absent.</summary>
    public T Choice<T>(ChoiceSetting<T> setting) where T : struct, System.Enum => Enum(setting.Key, setting.Default);

    public T Enum<T>(string key, T fallback) where T : struct, System.Enum
    {
        var node = Get(key);
        if (node is null) return fallback;
        var text = (node as YamlScalarNode)?.Value ?? "";
        foreach (var value in System.Enum.GetValues<T>())
            if (string.Equals(Snake(value.ToString()), text, StringComparison.OrdinalIgnoreCase)) return value;
        Problem(key, $"'{text}' is not one of {string.Join(", ", System.Enum.GetValues<T>().Select(v => Snake(v.ToString())))}", node);
        return fallback;
    }

    public DateTime? Date(string key)
    {
        var node = Get(key);
        if (node is null) return null;
        var text = (node as YamlScalarNode)?.Value ?? "";
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
            return DateTime.SpecifyKind(d, DateTimeKind.Utc);
        Problem(key, $"'{text}' is not a date (use ISO 8601, UTC, e.g. 2025-08-01 or 2025-08-01T00:00:00Z)", node);
        return null;
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        var node = Get(key);
        if (node is null) return null;
        if (node is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode))
            return seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
        Problem(key, "expected a list of names", node);
        return null;
    }

    public IReadOnlyList<double>? DoubleList(string key)
    {
        var node = Get(key);
        if (node is null) return null;
        var result = new List<double>();
        if (node is YamlSequenceNode seq)
        {
            foreach (var c in seq.Children)
            {
                if (c is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
                    result.Add(v);
                else
                {
                    Problem(key, "expected a list of numbers", node);
                    return null;
                }
            }
            return result;
        }
        Problem(key, "expected a list of numbers", node);
        return null;
    }

    /// <summary>Reports every key of this mapping that no accessor asked for.</summary>
    public void ReportUnknownKeys()
    {
        if (_node is null) return;
        foreach (var (k, v) in _node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "?";
            if (!_known.Contains(name))
                _problems.Add($"{Path(name)} (line {k.Start.Line}): unknown key{Suggest(name)}");
        }
    }

    private string Suggest(string name)
    {
        var best = _known.OrderBy(k => Distance(k, name)).FirstOrDefault();
        return best is not null && Distance(best, name) <= 3 ? $" (did you mean '{best}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    public static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
