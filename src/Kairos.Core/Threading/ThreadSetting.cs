using System.Globalization;
using System.Text.Json.Serialization;

namespace Kairos.Threading;

/// <summary>
/// How many threads a stage may use: <see cref="Auto"/> (decided by <see cref="ThreadBudget"/> when the stage or
/// search trial starts: the cores this process may use, less what other processes are using) or a fixed count.
/// Written <c>auto</c> or a positive integer in YAML, JSON and on the command line (<c>--threads auto|N</c>).
/// </summary>
[JsonConverter(typeof(ThreadSettingJsonConverter))]
public readonly record struct ThreadSetting
{
    private readonly int _count;

    private ThreadSetting(int count) => _count = count;

    /// <summary>Decide when the work starts (the default).</summary>
    public static ThreadSetting Auto => default;

    /// <summary>Exactly <paramref name="count"/> threads (at least 1).</summary>
    public static ThreadSetting Fixed(int count) =>
        count >= 1 ? new ThreadSetting(count) : throw new ArgumentOutOfRangeException(nameof(count), count, "a thread count must be at least 1");

    public bool IsAuto => _count == 0;

    /// <summary>The fixed count; null for <see cref="Auto"/>.</summary>
    public int? Count => IsAuto ? null : _count;

    /// <summary>A fixed count from an integer (the settings written before <c>auto</c> existed).</summary>
    public static implicit operator ThreadSetting(int count) => Fixed(count);

    /// <summary>Reads <c>auto</c> or a positive integer (at most <paramref name="max"/>); <paramref name="problem"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string? text, out ThreadSetting setting, out string? problem, int max = 1024)
    {
        setting = Auto;
        problem = null;
        var t = text?.Trim() ?? "";
        if (t.Equals("auto", StringComparison.OrdinalIgnoreCase)) return true;
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max)
        {
            setting = Fixed(n);
            return true;
        }
        problem = $"'{text}' is not a thread setting: 'auto' (the cores free when the work starts) or a whole number from 1 to {max}";
        return false;
    }

    public override string ToString() => IsAuto ? "auto" : _count.ToString(CultureInfo.InvariantCulture);
}
