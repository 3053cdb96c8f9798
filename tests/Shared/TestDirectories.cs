using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit.Sdk;

[assembly: Kairos.Tests.RemoveTestDirectories]

namespace Kairos.Tests;

/// <summary>
/// Who owns the temporary directories the tests make (<see cref="TestData.TempDirectory"/>,
/// <see cref="TestData.SharedDirectory"/>): the test that made one, which removes it when it ends, or the test process,
/// which removes it when it exits. A directory's name holds the process id (<c>prefix-kt&lt;pid&gt;-&lt;guid&gt;</c>), so the
/// next test process removes what a killed one left (the test host is often ended before its exit handlers finish).
/// </summary>
internal static class TestDirectories
{
    /// <summary>The directories one running test made.</summary>
    internal sealed class Scope(Scope? parent)
    {
        public Scope? Parent { get; } = parent;
        public ConcurrentQueue<string> Directories { get; } = new();
    }

    private static readonly AsyncLocal<Scope?> CurrentScope = new();
    private static readonly ConcurrentQueue<string> ProcessOwned = new();
    private static readonly Regex OwnedName = new("^.+-kt(?<pid>[0-9]{1,9})-[0-9a-f]{32}$", RegexOptions.CultureInvariant);

    static TestDirectories()
    {
        if (!Keep) SweepStale(Path.GetTempPath());
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Keep) return;
            while (ProcessOwned.TryDequeue(out var dir)) TryDelete(dir);
        };
    }

    private static bool Keep => Environment.GetEnvironmentVariable("KAIROS_KEEP_TEST_DIRS") == "1";

    /// <summary>The running test's scope (null outside a test: fixture constructors, static initialisation).</summary>
    public static Scope? Current => CurrentScope.Value;

    /// <summary>Opens a test's scope; <see cref="End"/> closes it and removes what was made in it.</summary>
    public static Scope Begin() => CurrentScope.Value = new Scope(CurrentScope.Value);

    public static void End(Scope scope)
    {
        CurrentScope.Value = scope.Parent;
        if (Keep) return;
        while (scope.Directories.TryDequeue(out var dir))
            if (!TryDelete(dir)) ProcessOwned.Enqueue(dir); // still written by a child process: try again at exit
    }

    public static string Create(string prefix, Scope? scope)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-kt{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        (scope?.Directories ?? ProcessOwned).Enqueue(dir);
        return dir;
    }

    /// <summary>
    /// What fills a cache on the current call stack (a <see cref="Lazy{T}"/> factory, a static constructor,
    /// <c>ConcurrentDictionary.GetOrAdd</c>'s factory), or null: what is made there outlives the test.
    /// </summary>
    public static string? InsideCache()
    {
        foreach (var frame in new StackTrace(2, fNeedFileInfo: false).GetFrames())
        {
            var method = frame.GetMethod();
            var type = method?.DeclaringType;
            if (method is null || type is null) continue;
            if (method is ConstructorInfo { IsStatic: true }) return $"the static constructor of {type.FullName}";
            if (!type.IsGenericType) continue;
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(Lazy<>)) return "a Lazy<T> factory";
            if (definition == typeof(ConcurrentDictionary<,>) && method.Name.StartsWith("GetOrAdd", StringComparison.Ordinal))
                return "a ConcurrentDictionary.GetOrAdd factory";
        }
        return null;
    }

    /// <summary>
    /// Removes the directories under <paramref name="tempRoot"/> named by <see cref="Create"/> whose process is gone;
    /// returns how many it removed. A live process's directories (another test assembly running now) are left.
    /// </summary>
    public static int SweepStale(string tempRoot)
    {
        var removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(tempRoot, "*-kt*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var dir in candidates)
        {
            var match = OwnedName.Match(Path.GetFileName(dir));
            if (!match.Success) continue;
            var pid = int.Parse(match.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (pid == Environment.ProcessId || IsAlive(pid)) continue;
            if (TryDelete(dir)) removed++;
        }
        return removed;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // a child process still writing, or another sweeper got there first
        }
    }
}

/// <summary>
/// Removes, when each test ends, the temporary directories it made with <see cref="TestData.TempDirectory"/>
/// (applied to every test assembly; xunit 2.6.6+ runs assembly-level before/after attributes around every test).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RemoveTestDirectoriesAttribute : BeforeAfterTestAttribute
{
    private readonly AsyncLocal<TestDirectories.Scope?> _opened = new();

    public override void Before(MethodInfo methodUnderTest) => _opened.Value = TestDirectories.Begin();

    public override void After(MethodInfo methodUnderTest)
    {
        if (_opened.Value is { } scope) TestDirectories.End(scope);
        _opened.Value = null;
    }
}
