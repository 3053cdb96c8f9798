using System.Globalization;

namespace Kairos.Settings;

/// <summary>
/// A number setting defined once (see <see cref="IntSetting"/>): key, default, an interval whose ends may be open,
/// and a help line. Non-finite values are never allowed.
/// </summary>
public sealed record DoubleSetting(string Key, double Default, double Min, double Max, string Help, bool MinExclusive = false, bool MaxExclusive = false)
{
    /// <summary>The command-line flag: the key with dashes.</summary>
    public string Flag => "--" + Key.Replace('_', '-');

    /// <summary>The allowed interval as written in messages: <c>(-1, 1]</c>; an infinite end is written as such.</summary>
    public string Range => string.Create(CultureInfo.InvariantCulture,
        $"{(MinExclusive ? "(" : "[")}{End(Min)}, {End(Max)}{(MaxExclusive ? ")" : "]")}");

    /// <summary>The rule a refused value breaks: <c>in (0, 1]</c>; without an upper end, <c>positive</c>, <c>&gt;= 0</c> or <c>&gt; 0.5</c>.</summary>
    public string Rule => !double.IsPositiveInfinity(Max) || double.IsNegativeInfinity(Min) ? "in " + Range
        : Min == 0 && MinExclusive ? "positive"
        : string.Create(CultureInfo.InvariantCulture, $"{(MinExclusive ? ">" : ">=")} {End(Min)}");

    public bool Allows(double value) =>
        double.IsFinite(value) && (MinExclusive ? value > Min : value >= Min) && (MaxExclusive ? value < Max : value <= Max);

    /// <summary>Why <paramref name="value"/> is refused, naming the key (the flag with <paramref name="flag"/>); null when it is allowed.</summary>
    public string? Problem(double value, bool flag = false) =>
        Allows(value) ? null : string.Create(CultureInfo.InvariantCulture, $"{(flag ? Flag : Key)} must be {Rule}, got {value}");

    /// <summary>
    /// The help line with the range, as <c>--help</c> shows it; the option's default follows it there, added once by
    /// System.CommandLine (<c>[default: 10]</c>).
    /// </summary>
    public string Description => string.Create(CultureInfo.InvariantCulture, $"{Help} {Range}.");

    private static string End(double v) => double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString(CultureInfo.InvariantCulture);
}
