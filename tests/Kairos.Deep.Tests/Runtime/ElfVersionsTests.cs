using Kairos.Deep.Runtime;

namespace Kairos.Deep.Tests.Runtime;

public class ElfVersionsTests
{
    private const string TorchSharpNative = "libLibTorchSharp.so";

    private static string OutputCopy => Path.Combine(AppContext.BaseDirectory, TorchSharpNative);

    private static string PackageCopy
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
            var path = Path.Combine(root, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", TorchSharpNative);
            Assert.True(File.Exists(path), $"TorchSharp package copy not found at {path}");
            return path;
        }
    }

    [Fact]
    public void Read_TorchSharpPackageCopy_NeedsGlibcxx3432Strongly()
    {
        var versions = ElfVersions.Read(PackageCopy);

        var need = Assert.Single(versions.Needs, n => n.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.Weak);
        Assert.Contains(versions.Needs, n => n is { File: "libc.so.6", Version: "GLIBC_2.2.5" });
    }

    [Fact]
    public void Read_HostLibStdCxx_DefinesBaseGlibcxxVersions()
    {
        var host = ElfVersions.FindLoaded("libstdc++.so.6");

        Assert.NotNull(host);
        var defined = ElfVersions.Read(host).Definitions;
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
    }

    [Fact]
    public void BuildStep_OutputCopy_EveryStrongLibStdCxxNeedIsDefinedByHost()
    {
        var host = ElfVersions.FindLoaded("libstdc++.so.6")!;
        var defined = ElfVersions.Read(host).Definitions;

        var unmet = ElfVersions.Read(OutputCopy).Needs.Where(n => n.File == "libstdc++.so.6" && !n.Weak && !defined.Contains(n.Version));

        Assert.Empty(unmet);
    }

    [Fact]
    public void BuildStep_OutputCopy_WeakensOnlyVersionsTheHostLacks()
    {
        var host = ElfVersions.FindLoaded("libstdc++.so.6")!;
        var defined = ElfVersions.Read(host).Definitions;
        var original = ElfVersions.Read(PackageCopy).Needs;
        var output = ElfVersions.Read(OutputCopy).Needs;

        Assert.Equal(original.Select(n => (n.File, n.Version)), output.Select(n => (n.File, n.Version)));
        foreach (var (before, after) in original.Zip(output))
            Assert.Equal(before.Weak || (before.File == "libstdc++.so.6" && !defined.Contains(before.Version)), after.Weak);
    }

    [Fact]
    public void BuildStep_OutputCopy_DiffersFromPackageOnlyInVersionFlagBytes()
    {
        var original = File.ReadAllBytes(PackageCopy);
        var output = File.ReadAllBytes(OutputCopy);

        Assert.Equal(original.Length, output.Length);
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != output[i]).ToList();
        Assert.True(differing.Count <= 2, $"{differing.Count} bytes differ");
        Assert.All(differing, i => Assert.Equal(2, output[i] ^ original[i]));
    }

    [Fact]
    public void Read_NotAnElfFile_ThrowsInvalidData()
    {
        var dir = Kairos.Tests.TestData.TempDirectory();
        var path = Path.Combine(dir, "not-elf.so");
        File.WriteAllText(path, "this is not an ELF shared object, just text padded to more than 64 bytes.");

        Assert.Throws<InvalidDataException>(() => ElfVersions.Read(path));
    }
}
