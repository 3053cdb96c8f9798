using System.Text;

namespace Kairos.Tests.Snapshots;

/// <summary>Small bar files written from text in a test's temporary directory.</summary>
internal static class SnapshotTestFiles
{
    public const string Header = "timestamp,open,high,low,close,volume,spread_points,spread";

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM, exactly as given) to <paramref name="name"/> in <paramref name="dir"/>.</summary>
    public static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    /// <summary>A valid M5 file with spread: <paramref name="rows"/> bars from 2025-01-06T00:00Z.</summary>
    public static string ValidM5(int rows = 6)
    {
        var sb = new StringBuilder(Header).Append('\n');
        var t = new DateTime(2025, 1, 6, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < rows; i++)
        {
            var o = 1.1 + (i * 0.0001);
            sb.Append(FormattableString.Invariant($"{t.AddMinutes(5 * i):yyyy-MM-dd'T'HH:mm:ss'Z'},{o:0.00000},{o + 0.0003:0.00000},{o - 0.0002:0.00000},{o + 0.0001:0.00000},{10 + i},{7 + i},{(7 + i) * 0.00001:0.00000}\n"));
        }
        return sb.ToString();
    }
}
