using System.Diagnostics;
using Kairos.Deep.Runtime;

namespace Kairos.Tests.Install;

/// <summary>
/// The .NET tool package as a user gets it: <c>dotnet pack src/Kairos.Cli -c Release -o DIR</c>, then
/// <c>dotnet tool install --tool-path TMP --add-source DIR kairos</c>, then the installed <c>kairos</c> runs.
/// </summary>
[Collection(PublishCollection.Name)]
public class ToolPackageTests
{
    [Fact]
    public void PackAndInstall_IntoTempToolPath_InstalledKairosPrintsHelpWithTheGlibcxxFix()
    {
        var temp = TestData.TempDirectory("kairos-tool");
        var artifacts = Path.Combine(temp, "artifacts");
        var tools = Path.Combine(temp, "tools");
        var project = Path.Combine(TestData.RepositoryRoot, "src", "Kairos.Cli", "Kairos.Cli.csproj");
        try
        {
            PackInstallAndRun(project, artifacts, tools, temp);
        }
        finally
        {
            Directory.Delete(temp, recursive: true); // 1.2 GB: the package and the installed tool
        }
    }

    private static void PackInstallAndRun(string project, string artifacts, string tools, string temp)
    {

        var pack = Run("dotnet", ["pack", project, "-c", "Release", "-o", artifacts, "--nologo"], temp);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var package = Assert.Single(Directory.GetFiles(artifacts, "kairos.*.nupkg"));

        // A fresh NuGet configuration: only the local artifacts folder and the machine's usual sources.
        var install = Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", artifacts, "kairos"], temp);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("kairos", install.StandardOutput);

        var kairos = Path.Combine(tools, "kairos");
        Assert.True(File.Exists(kairos), $"{kairos} missing after install of {package}");
        var help = Run(kairos, ["--help"], temp);
        Assert.True(help.ExitCode == 0, help.ToString());
        foreach (var command in new[] { "snapshot", "dataset", "train", "serve", "run" })
            Assert.Contains(command, help.StandardOutput);

        // The installed copy of TorchSharp's native library carries the GLIBCXX fix: every version it needs
        // strongly from libstdc++ is one this host's libstdc++ defines (the packed copy is the patched publish output).
        var native = Assert.Single(Directory.GetFiles(Path.Combine(tools, ".store"), "libLibTorchSharp.so", SearchOption.AllDirectories));
        var defined = ElfVersions.Read(ElfVersions.FindLoaded("libstdc++.so.6")!).Definitions;
        var needs = ElfVersions.Read(native).Needs.Where(n => n.File == "libstdc++.so.6").ToList();
        Assert.NotEmpty(needs);
        Assert.DoesNotContain(needs, n => !n.Weak && !defined.Contains(n.Version));
    }

    internal static KairosResult Run(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return KairosCli.Run(start, TimeSpan.FromMinutes(20));
    }
}
