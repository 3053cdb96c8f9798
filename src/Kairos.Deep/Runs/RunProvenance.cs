using Kairos.Artifacts;
using System.Text.Json;
using Kairos.Errors;

namespace Kairos.Deep.Runs;

/// <summary>
/// The <c>train_config.json</c>, <c>env.json</c> and <c>git_commit.txt</c> of a run: written when a run starts;
/// on <c>--resume</c> the saved config is compared with the new one and every setting that differs is reported
/// together (a resumed run must be the run it continues).
/// </summary>
public static class RunProvenance
{
    /// <summary>
    /// Writes <paramref name="config"/> and the environment into a new run, or (resuming) checks it against the saved one.
    /// <paramref name="normalise"/> blanks settings that cannot change the result (log frequency) before comparing.
    /// </summary>
    public static void WriteOrCheck<T>(RunDirectory run, T config, bool resume, TimeProvider time, Func<T, T>? normalise = null)
    {
        if (resume && File.Exists(run.TrainConfig))
        {
            var saved = RunJson.Read<T>(run.TrainConfig);
            var differences = Differences(saved, config, normalise ?? (c => c));
            if (differences.Count > 0)
                throw new ConfigException("--resume", differences.Select(d => $"{d} differs from the interrupted run's train_config.json").ToList());
            return;
        }
        RunJson.Write(run.TrainConfig, config);
        RunJson.Write(run.Environment, RunEnvironment.Capture(time));
        File.WriteAllText(run.GitCommitFile, (CodeVersion.Current ?? "unknown") + "\n");
    }

    /// <summary>Settings (dotted JSON paths) that differ between two configs, with both values.</summary>
    public static List<string> Differences<T>(T saved, T current, Func<T, T> normalise)
    {
        Dictionary<string, string> Flatten(T c)
        {
            var json = JsonSerializer.SerializeToElement(normalise(c), RunJson.Options);
            var result = new Dictionary<string, string>();
            void Walk(JsonElement e, string path)
            {
                if (e.ValueKind == JsonValueKind.Object)
                    foreach (var p in e.EnumerateObject()) Walk(p.Value, path.Length == 0 ? p.Name : path + "." + p.Name);
                else
                    result[path] = e.GetRawText();
            }
            Walk(json, "");
            return result;
        }
        var a = Flatten(saved);
        var b = Flatten(current);
        return a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Where(k => !a.TryGetValue(k, out var x) || !b.TryGetValue(k, out var y) || x != y)
            .Select(k => $"{k} ({(a.TryGetValue(k, out var x) ? x : "absent")} -> {(b.TryGetValue(k, out var y) ? y : "absent")})")
            .ToList();
    }
}
