namespace Kairos.Tests.Run;

/// <summary>
/// <see cref="RunSlice"/>'s config with a <c>walkforward:</c> section sized for tests: the latest 3 windows of 4 weeks'
/// training (its latest quarter the validation tail) and 1 week's test on the slice (test weeks from 19 March to 9 April 2025), default tree parameters, one
/// hybrid epoch per window, and a 12 s lease so a killed window goes back to the queue quickly.
/// </summary>
internal static class WalkForwardSlice
{
    public const string Section = """
        walkforward:
          train: 4w
          validation: 0.25
          test: 1w
          step: 1w
          windows: 3
          trials: 0
          epochs: 1
          stale_after_seconds: 12
        """;

    /// <remarks>
    /// The hybrid is pinned to one thread: these tests compare what two runs trained byte for byte (a run killed and
    /// rerun beside a worker, a window trained twice), and libtorch's weights depend on the thread count, which
    /// <c>threads: auto</c> decides from the load of the moment (docs/run.md, "Threads"). The trees are the same on any count.
    /// </remarks>
    public static string Config(string dir, string name, string section = Section)
    {
        var path = RunSlice.Config(dir, name);
        var yaml = File.ReadAllText(path);
        if (!yaml.Contains("\nhybrid:\n", StringComparison.Ordinal)) throw new InvalidOperationException("RunSlice's config has no hybrid section");
        File.WriteAllText(path, yaml.Replace("\nhybrid:\n", "\nhybrid:\n  threads: 1\n", StringComparison.Ordinal) + section + "\n");
        return path;
    }
}
