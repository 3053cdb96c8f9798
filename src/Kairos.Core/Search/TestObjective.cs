using System.Text.Json;
using Kairos.Errors;

namespace Kairos.Search;

/// <summary>
/// The built-in deterministic objective (kind <c>test</c>) that exercises workers without data:
/// four parameters (float, log-float, int, categorical), a curve of <see cref="Steps"/> intermediate
/// values converging to the final value (with pruning checks), and an optional sleep per step so a
/// trial lasts long enough to kill its worker. Minimum 0 at x = 1, lr = 0.01, depth = 6, kind = b.
/// </summary>
public sealed record TestObjective(int Steps = 10, int StepMilliseconds = 0)
{
    public static TestObjective FromSpec(string json)
    {
        var spec = JsonSerializer.Deserialize<TestObjective>(json, StudyOptions.Json) ?? new TestObjective();
        var problems = new List<string>();
        if (spec.Steps < 1) problems.Add($"steps must be >= 1 (got {spec.Steps})");
        if (spec.StepMilliseconds < 0) problems.Add($"step_milliseconds must be >= 0 (got {spec.StepMilliseconds})");
        if (problems.Count > 0) throw new ConfigException("test objective spec", problems);
        return spec;
    }

    /// <summary>The objective's value for given parameters.</summary>
    public static double Value(double x, double lr, long depth, string kind) =>
        Math.Pow(x - 1, 2) + Math.Pow(Math.Log10(lr) + 2, 2) + Math.Abs(depth - 6) * 0.1 + (kind == "b" ? 0 : 1);

    public double Evaluate(ITrial trial)
    {
        var value = Value(trial.SuggestFloat("x", -5, 5), trial.SuggestFloat("lr", 1e-4, 1, log: true),
            trial.SuggestInt("depth", 2, 12), trial.SuggestCategorical("kind", ["a", "b", "c"]));
        for (var step = 0; step < Steps; step++)
        {
            if (StepMilliseconds > 0) Thread.Sleep(StepMilliseconds);
            trial.Report(step, value + 1.0 / (step + 1));
            if (trial.ShouldPrune()) throw new TrialPrunedException();
        }
        return value;
    }
}
