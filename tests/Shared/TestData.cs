namespace Kairos.Tests;

/// <summary>
/// Locates the real market data in <c>../shared/data</c> (beside the repository) and gives each test a
/// private temporary directory. Data is read in place and never copied into the repository.
/// </summary>
public static class TestData
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The repository root (the directory holding Kairos.slnx).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The shared data directory, <c>&lt;repo&gt;/../shared/data</c>.</summary>
    public static string DataDirectory => Path.GetFullPath(Path.Combine(Root.Value, "..", "shared", "data"));

    /// <summary>Full path of a file in the shared data directory; fails loudly when it is missing.</summary>
    public static string File(string relativePath)
    {
        var path = Path.Combine(DataDirectory, relativePath);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"Real test data not found at {path}: tests expect ../shared/data beside the repository.", path);
        return path;
    }

    /// <summary>
    /// A fresh, empty directory under the system temp directory for one test: removed with everything in it when the
    /// test ends (<see cref="RemoveTestDirectoriesAttribute"/>, applied to every test assembly). Made where no test is
    /// running (a class or collection fixture's constructor) or while a cache is filled that outlives the test (a
    /// <see cref="Lazy{T}"/> factory, a static constructor, a <c>ConcurrentDictionary.GetOrAdd</c> factory), it lives as
    /// long as the test process instead, like <see cref="SharedDirectory"/>: otherwise the next test reading the cache
    /// would find it gone. Set <c>KAIROS_KEEP_TEST_DIRS=1</c> to keep every directory for a post-mortem.
    /// </summary>
    public static string TempDirectory(string prefix = "kairos-test")
    {
        var scope = TestDirectories.Current;
        return TestDirectories.Create(prefix, scope is not null && TestDirectories.InsideCache() is null ? scope : null);
    }

    /// <summary>
    /// A fresh, empty directory under the system temp directory that lives as long as the test process: for what a
    /// fixture shares between tests. Removed when the process exits; one left by a process that was killed is removed by
    /// the next test process that starts (the directory's name holds its process id).
    /// </summary>
    public static string SharedDirectory(string prefix) => TestDirectories.Create(prefix, scope: null);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Kairos.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Kairos.slnx not found above " + AppContext.BaseDirectory);
    }
}
