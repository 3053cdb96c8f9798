using System.Text.RegularExpressions;
using Kairos.Tests;

namespace Kairos.Core.Tests.Architecture;

/// <summary>
/// docs/architecture.md's rule that dependencies between the areas of a project point one way: no cycle among the
/// namespaces of <c>Kairos.Core</c> (units <c>Kairos.X</c>, a sub-namespace such as <c>Kairos.Trees.Tuning</c> counted
/// with its area) nor among those of <c>Kairos.Deep</c> (units <c>Kairos.Deep.X</c>), read from each source file's
/// <c>namespace</c> and <c>using</c> directives.
/// </summary>
public sealed partial class NamespaceCycleTests
{
    [Theory]
    [InlineData("src/Kairos.Core", 1)]
    [InlineData("src/Kairos.Deep", 2)]
    public void Project_HasNoNamespaceCycle(string project, int unitDepth)
    {
        var graph = Read(Path.Combine(TestData.RepositoryRoot, project), unitDepth);
        Assert.True(graph.Edges.Count > 3, $"read only {graph.Edges.Count} dependencies from {project}: the reader is broken");
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, cycle is null ? "" : $"namespace cycle in {project}: {Describe(cycle, graph)}");
    }

    /// <summary>
    /// The deep families are siblings over the shared stack (Deep/Runs): the LSTM (and the pretrainers beside it) use
    /// nothing of the hybrid, neither by a <c>using</c> nor by a qualified name.
    /// </summary>
    [Fact]
    public void Lstm_UsesNothingOfTheHybrid()
    {
        var root = Path.Combine(TestData.RepositoryRoot, "src/Kairos.Deep/Lstm");
        var files = Directory.EnumerateFiles(root, "*.cs").ToList();
        Assert.True(files.Count > 10, $"read only {files.Count} files from {root}");
        var offending = files.Where(f => File.ReadAllText(f).Contains("Kairos.Deep.Hybrid", StringComparison.Ordinal))
            .Select(Path.GetFileName).ToList();
        Assert.True(offending.Count == 0, $"Lstm -> Hybrid references in {string.Join(", ", offending)}");
    }

    [Fact]
    public void FindCycle_FindsACycleThroughThreeUnits_AndNoneInAChain()
    {
        var cyclic = new Graph();
        cyclic.Add("Kairos.A", "Kairos.B", "a.cs");
        cyclic.Add("Kairos.B", "Kairos.C", "b.cs");
        cyclic.Add("Kairos.C", "Kairos.A", "c.cs");
        cyclic.Add("Kairos.C", "Kairos.D", "c.cs");
        var cycle = FindCycle(cyclic);
        Assert.NotNull(cycle);
        Assert.Equal(["Kairos.A", "Kairos.B", "Kairos.C"], cycle!.Order());

        var chain = new Graph();
        chain.Add("Kairos.A", "Kairos.B", "a.cs");
        chain.Add("Kairos.B", "Kairos.C", "b.cs");
        chain.Add("Kairos.A", "Kairos.C", "a.cs");
        Assert.Null(FindCycle(chain));
    }

    [Fact]
    public void Unit_CountsASubNamespaceWithItsArea()
    {
        Assert.Equal("Kairos.Trees", Unit("Kairos.Trees.Tuning", 1));
        Assert.Equal("Kairos.Deep.Hybrid", Unit("Kairos.Deep.Hybrid.Inference", 2));
        Assert.Equal("Kairos", Unit("Kairos", 1));
    }

    private sealed class Graph
    {
        public Dictionary<string, HashSet<string>> Edges { get; } = new(StringComparer.Ordinal);
        public Dictionary<(string, string), List<string>> Files { get; } = [];

        public void Add(string from, string to, string file)
        {
            if (from == to) return;
            if (!Edges.TryGetValue(from, out var targets)) Edges[from] = targets = new HashSet<string>(StringComparer.Ordinal);
            targets.Add(to);
            if (!Files.TryGetValue((from, to), out var files)) Files[(from, to)] = files = [];
            files.Add(file);
        }
    }

    private static string Unit(string ns, int depth)
    {
        var parts = ns.Split('.');
        return string.Join('.', parts.Take(Math.Min(parts.Length, depth + 1)));
    }

    private static Graph Read(string root, int depth)
    {
        var graph = new Graph();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) ||
                relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(file);
            if (NamespaceDirective().Match(text) is not { Success: true } ns) continue;
            var from = Unit(ns.Groups[1].Value, depth);
            foreach (Match u in UsingDirective().Matches(text))
            {
                var target = u.Groups[1].Value;
                if (depth == 2 && !target.StartsWith("Kairos.Deep.", StringComparison.Ordinal)) continue;
                if (depth == 1 && target.StartsWith("Kairos.Deep", StringComparison.Ordinal)) continue;
                graph.Add(from, Unit(target, depth), relative);
            }
        }
        return graph;
    }

    /// <summary>The units of one cycle, or null: depth-first search for a back edge, in a fixed (ordinal) order.</summary>
    private static List<string>? FindCycle(Graph graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.Edges.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                var s = state.GetValueOrDefault(next);
                if (s == 1) return path[path.IndexOf(next)..];
                if (s == 0 && Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
        foreach (var node in graph.Edges.Keys.Order(StringComparer.Ordinal))
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle) return cycle;
        return null;
    }

    private static string Describe(List<string> cycle, Graph graph) =>
        string.Join(" -> ", cycle.Select((unit, i) =>
        {
            var next = cycle[(i + 1) % cycle.Count];
            return $"{unit} (using {next} in {string.Join(", ", graph.Files[(unit, next)].Take(3))})";
        })) + $" -> {cycle[0]}";

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDirective();

    [GeneratedRegex(@"^using\s+(?:static\s+)?(Kairos(?:\.\w+)*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();
}
