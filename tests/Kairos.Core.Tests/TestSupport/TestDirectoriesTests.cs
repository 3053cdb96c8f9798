using System.Diagnostics;
using System.Reflection;
using Kairos.Tests;

namespace Kairos.Core.Tests.TestSupport;

/// <summary>
/// The tests' temporary directories: removed when the test that made them ends, kept for the process when a cache
/// made them, and removed by the next test process when the one that made them was killed.
/// </summary>
public sealed class TestDirectoriesTests
{
    private static readonly MethodInfo Method = typeof(TestDirectoriesTests).GetMethod(nameof(ATestsDirectory_IsRemovedWhenTheTestEnds))!;

    [Fact]
    public void EveryTest_RunsInsideAScope()
    {
        // The assembly-level RemoveTestDirectoriesAttribute opened it; without it nothing would be removed per test.
        Assert.NotNull(TestDirectories.Current);
        var dir = TestData.TempDirectory();
        Assert.Contains(dir, TestDirectories.Current!.Directories);
        Assert.Matches($"kairos-test-kt{Environment.ProcessId}-[0-9a-f]{{32}}$", dir);
    }

    [Fact]
    public async Task ATestsDirectory_IsRemovedWhenTheTestEnds()
    {
        var outer = TestDirectories.Current;
        var test = new RemoveTestDirectoriesAttribute();
        test.Before(Method);
        Assert.NotSame(outer, TestDirectories.Current);
        var dir = TestData.TempDirectory("kairos-scoped");
        await Task.Yield(); // an async test's continuation still belongs to it
        var nested = Path.Combine(TestData.TempDirectory("kairos-scoped"), "a", "b");
        Directory.CreateDirectory(nested);
        await File.WriteAllTextAsync(Path.Combine(nested, "file.txt"), "x");
        test.After(Method);

        Assert.False(Directory.Exists(dir));
        Assert.False(Directory.Exists(nested));
        Assert.Same(outer, TestDirectories.Current);
    }

    [Fact]
    public void ADirectoryMadeWhileACacheFills_OutlivesTheTest()
    {
        var test = new RemoveTestDirectoriesAttribute();
        test.Before(Method);
        var cached = new Lazy<string>(() => TestData.TempDirectory("kairos-cached")).Value;
        var added = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var fromGetOrAdd = added.GetOrAdd("key", _ => TestData.TempDirectory("kairos-cached"));
        var shared = TestData.SharedDirectory("kairos-cached");
        var plain = TestData.TempDirectory("kairos-plain");
        test.After(Method);

        Assert.False(Directory.Exists(plain));
        foreach (var dir in new[] { cached, fromGetOrAdd, shared })
        {
            Assert.True(Directory.Exists(dir), dir);
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void KilledProcessesDirectories_AreRemovedByTheNextProcess_LiveOnesAndOthersKept()
    {
        var root = TestData.TempDirectory("kairos-sweep");
        var dead = DeadProcessId();
        string Make(string name) => Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        var deadOne = Make($"kairos-test-kt{dead}-{Guid.NewGuid():N}");
        File.WriteAllText(Path.Combine(deadOne, "left.txt"), "x");
        var deadPrefixed = Make($"chromium-profile-kt{dead}-{Guid.NewGuid():N}");
        var mine = Make($"kairos-test-kt{Environment.ProcessId}-{Guid.NewGuid():N}");
        using var live = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var liveOne = Make($"kairos-test-kt{live.Id}-{Guid.NewGuid():N}");
            var notOurs = Make($"other-tool-{dead}-{Guid.NewGuid():N}");
            var noGuid = Make($"kairos-test-kt{dead}-notaguid");

            Assert.Equal(2, TestDirectories.SweepStale(root));

            Assert.False(Directory.Exists(deadOne));
            Assert.False(Directory.Exists(deadPrefixed));
            foreach (var kept in new[] { mine, liveOne, notOurs, noGuid }) Assert.True(Directory.Exists(kept), kept);
        }
        finally
        {
            live.Kill();
            live.WaitForExit();
        }
    }

    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
