using Kairos.Bundles;

namespace Kairos.Tests.Bundles;

public sealed class BundlePathTests
{
    [Theory]
    [InlineData("trees/model_EU.txt", null)]
    [InlineData("", "path is empty")]
    [InlineData("/abs.json", "path is absolute")]
    [InlineData("C:/x.json", "path names a drive")]
    [InlineData("a/../b.json", "path has a '..' segment")]
    [InlineData("./b.json", "path has a '.' segment")]
    [InlineData("a\\b.json", "path contains a backslash")]
    [InlineData("a\nb.json", "path contains a control character")]
    [InlineData("a//b.json", "path has an empty segment")]
    public void Problem_Cases_Expected(string path, string? expected)
    {
        Assert.Equal(expected, BundlePath.Problem(path));
    }

    [Fact]
    public void TryResolve_RegularFile_ResolvesInsideRoot()
    {
        var root = TestData.TempDirectory();
        Directory.CreateDirectory(Path.Combine(root, "a"));
        File.WriteAllText(Path.Combine(root, "a", "b.json"), "{}");

        Assert.True(BundlePath.TryResolve(root, "a/b.json", out var full, out var problem));

        Assert.Null(problem);
        Assert.Equal(Path.Combine(root, "a", "b.json"), full);
    }

    [Fact]
    public void TryResolve_MissingFileOrDirectory_Fails()
    {
        var root = TestData.TempDirectory();
        Directory.CreateDirectory(Path.Combine(root, "a"));

        Assert.False(BundlePath.TryResolve(root, "a/b.json", out _, out var missing));
        Assert.False(BundlePath.TryResolve(root, "a", out _, out var directory));

        Assert.Equal("file is missing", missing);
        Assert.Equal("is a directory, not a file", directory);
    }
}
