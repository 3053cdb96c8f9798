using System.Globalization;

namespace Kairos.Backtest;

/// <summary>One swept key and its values: <c>key=start:stop:step</c> (stop included when on the grid) or <c>key=v1,v2,...</c>.</summary>
public sealed record SweepAxis(string Key, IReadOnlyList<double> Values)
{
    /// <summary>The most values one axis may have.</summary>
    public const int MaxValues = 10_000;

    /// <summary>Parses <paramref name="text"/>; null and a problem naming it when it is not an axis of a sweepable key.</summary>
    public static SweepAxis? Parse(string text, out string? problem)
    {
        problem = null;
        var eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
        {
            problem = $"--sweep '{text}': expected key=start:stop:step or key=v1,v2,...";
            return null;
        }
        var key = text[..eq].Trim();
        var spec = text[(eq + 1)..].Trim();
        if (!BacktestOptions.SweepableKeys.Contains(key))
        {
            problem = $"--sweep '{text}': '{key}' is not a key a sweep can vary; one of: {string.Join(", ", BacktestOptions.SweepableKeys)}";
            return null;
        }
        static bool Number(string s, out double v) => double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);
        var values = new List<double>();
        if (spec.Contains(':'))
        {
            var parts = spec.Split(':');
            if (parts.Length != 3 || !Number(parts[0], out var start) || !Number(parts[1], out var stop) || !Number(parts[2], out var step))
            {
                problem = $"--sweep '{text}': a range is start:stop:step with three numbers";
                return null;
            }
            if (!(step > 0) || stop < start)
            {
                problem = $"--sweep '{text}': the step must be positive and stop at least start";
                return null;
            }
            var count = (long)Math.Floor((stop - start) / step + 1e-9) + 1;
            if (count > MaxValues)
            {
                problem = $"--sweep '{text}': {count} values, at most {MaxValues}";
                return null;
            }
            // Values from the index, not by repeated addition, and rounded to the step's decimals: 0.50:0.60:0.01 gives 0.56, not 0.5600000000000002.
            var decimals = Math.Max(Decimals(parts[0]), Math.Max(Decimals(parts[2]), 0));
            for (var k = 0; k < count; k++) values.Add(Math.Round(start + k * step, Math.Min(decimals, 15)));
        }
        else
        {
            foreach (var part in spec.Split(','))
            {
                if (!Number(part, out var v))
                {
                    problem = $"--sweep '{text}': '{part.Trim()}' is not a number";
                    return null;
                }
                values.Add(v);
            }
        }
        return new SweepAxis(key, values.Distinct().ToList());
    }

    private static int Decimals(string s)
    {
        s = s.Trim();
        var dot = s.IndexOf('.');
        if (dot < 0) return 0;
        var end = s.IndexOfAny(['e', 'E']);
        return (end < 0 ? s.Length : end) - dot - 1;
    }
}
