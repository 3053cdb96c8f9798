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

    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> Created = new();

    static TestData() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveCreated();

    /// <summary>
    /// A fresh, empty directory under the system temp directory, removed with everything in it when the test process
    /// exits (set <c>KAIROS_KEEP_TEST_DIRS=1</c> to keep them for a post-mortem).
    /// </summary>
    public static string TempDirectory(string prefix = "kairos-test")
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        Created.Enqueue(dir);
        return dir;
    }

    /// <summary>Removes the directories <see cref="TempDirectory"/> made; one still in use (a child process writing) is left.</summary>
    private static void RemoveCreated()
    {
        if (Environment.GetEnvironmentVariable("KAIROS_KEEP_TEST_DIRS") == "1") return;
        while (Created.TryDequeue(out var dir))
        {
            try
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the system's temp cleaning; never fail a test run over it.
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Kairos.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Kairos.slnx not found above " + AppContext.BaseDirectory);
    }
}
