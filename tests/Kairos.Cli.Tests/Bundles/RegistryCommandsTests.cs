using System.Diagnostics;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Registry;
using Xunit.Abstractions;
using Kairos.Artifacts;

namespace Kairos.Tests.Bundles;

public sealed class RegistryCommandsTests(ITestOutputHelper output)
{
    private static string Build(string? verdict, string notes)
    {
        var inputs = BundleInputs.Instance;
        var r = KairosCli.Run([.. inputs.BuildArgs(Path.Combine(TestData.TempDirectory(), "bundles"), verdict, notes), "--json"]);
        Assert.True(r.ExitCode == 0, r.StandardError);
        return (string)JsonNode.Parse(r.StandardOutput)!["directory"]!;
    }

    private static JsonNode Json(params string[] args)
    {
        var r = KairosCli.Run([.. args, "--json"]);
        Assert.True(r.ExitCode == 0, r.StandardError);
        return JsonNode.Parse(r.StandardOutput)!;
    }

    [Fact]
    public void PromoteListRollback_TwoBundles_BestFollowsHistory()
    {
        var registry = Path.Combine(TestData.TempDirectory(), "registry");
        var first = Build(BundleInputs.Instance.PassedVerdict, "first");
        var second = Build(BundleInputs.Instance.PassedVerdict, "second");

        var v1 = (string)Json("registry", "promote", first, "--root", registry)["to"]!;
        var promoted = Json("registry", "promote", second, "--root", registry, "--reason", "better PR-AUC");
        var list = Json("registry", "list", "--root", registry);

        Assert.Equal(v1, (string)promoted["from"]!);
        var v2 = (string)promoted["to"]!;
        Assert.Equal(v2, (string)list["best"]!);
        Assert.Equal([v2, v1], list["versions"]!.AsArray().Select(v => (string)v!["name"]!));
        Assert.Equal(1, (int)list["versions"]![1]!["rollback_position"]!);

        var back = Json("registry", "rollback", "--root", registry);
        Assert.Equal(v1, (string)back["to"]!);
        var show = Json("registry", "show", "--root", registry);
        Assert.Equal(v1, (string)show["version"]!["name"]!);
        Assert.True((bool)show["passed"]!);

        var none = KairosCli.Run("registry", "rollback", "--root", registry);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("there is no previous version", none.StandardError);
        var named = Json("registry", "rollback", "--root", registry, "--to", v2);
        Assert.Equal(v2, (string)named["to"]!);
    }

    [Fact]
    public void Promote_FailedGate_Exit4BestUnchanged()
    {
        var registry = Path.Combine(TestData.TempDirectory(), "registry");
        var good = Build(BundleInputs.Instance.PassedVerdict, "good");
        var bad = Build(BundleInputs.Instance.FailedVerdict, "bad");
        var best = (string)Json("registry", "promote", good, "--root", registry)["to"]!;

        var r = KairosCli.Run("registry", "promote", bad, "--root", registry);

        Assert.Equal(4, r.ExitCode);
        Assert.Contains("failed its promotion gate", r.StandardError);
        Assert.Equal(best, (string)Json("registry", "list", "--root", registry)["best"]!);
    }

    [Fact]
    public void Promote_NoVerdict_Exit4UnlessAllowUngated()
    {
        var registry = Path.Combine(TestData.TempDirectory(), "registry");
        var bundle = Build(null, "ungated");

        var refused = KairosCli.Run("registry", "promote", bundle, "--root", registry);
        var allowed = Json("registry", "promote", bundle, "--root", registry, "--allow-ungated", "--reason", "first model");

        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("--allow-ungated", refused.StandardError);
        Assert.True((bool)allowed["state"]!["ungated"]!);
    }

    [Fact]
    public void Promote_TamperedBundle_Exit3NothingRegistered()
    {
        var registry = Path.Combine(TestData.TempDirectory(), "registry");
        var bundle = Build(BundleInputs.Instance.PassedVerdict, "tampered");
        File.AppendAllText(Path.Combine(bundle, "trees", "calibrators.json"), " ");

        var r = KairosCli.Run("registry", "promote", bundle, "--root", registry);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("trees/calibrators.json", r.StandardError);
        Assert.Empty(Json("registry", "list", "--root", registry)["versions"]!.AsArray());
    }

    /// <summary>
    /// Kills a real <c>kairos registry promote</c> process at random points of its run, over and over, and
    /// checks after every kill that the registry is in the old state or the new one: <c>best</c> names a
    /// complete version that verifies, the state in force names it, and the next promote succeeds.
    /// </summary>
    [Fact]
    public void Promote_KilledAtRandomPoints_RegistryOldOrNewNeverMixed()
    {
        var work = TestData.TempDirectory();
        var registry = Path.Combine(work, "registry");
        var a = Build(BundleInputs.Instance.PassedVerdict, "crash-a");
        var b = Build(BundleInputs.Instance.PassedVerdict, "crash-b");
        var first = (string)Json("registry", "promote", a, "--root", registry)["to"]!;
        var clock = Stopwatch.StartNew();
        var second = (string)Json("registry", "promote", b, "--root", registry)["to"]!;
        var fullRunMs = (int)clock.ElapsedMilliseconds;
        var versions = new[] { first, second };
        var reader = new ModelRegistry(registry, new RegistryOptions { ContractAuthority = RunningFeatureContract.Instance });
        var random = new Random(20260106);
        var outcomes = new Dictionary<string, int> { ["old"] = 0, ["new"] = 0 };

        for (var i = 0; i < 12; i++)
        {
            var before = reader.BestVersion()!;
            var target = before == first ? second : first;
            using var process = KairosCli.Start("registry", "promote", target, "--root", registry);
            Thread.Sleep(random.Next(fullRunMs / 3, fullRunMs + 100));
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();

            var best = reader.BestVersion();
            Assert.Contains(best, versions);
            Assert.Equal(best, reader.CurrentState()!.Best);
            Assert.True(BundleVerifier.Verify(Path.Combine(registry, "best"), new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance }).Passed);
            outcomes[best == before ? "old" : "new"]++;
        }
        var after = Json("registry", "promote", reader.BestVersion() == first ? second : first, "--root", registry);

        output.WriteLine($"12 kills over a {fullRunMs} ms promote: {outcomes["old"]} left the old best, {outcomes["new"]} the new one");
        Assert.True((bool)after["changed"]!);
        Assert.Equal(2, Json("registry", "list", "--root", registry)["versions"]!.AsArray().Count);
        Assert.Equal(12, outcomes["old"] + outcomes["new"]);
    }

    /// <summary>Kills <c>kairos bundle build</c> at random points: the output root holds a complete bundle or none.</summary>
    [Fact]
    public void Build_KilledAtRandomPoints_NoHalfWrittenBundle()
    {
        var inputs = BundleInputs.Instance;
        var random = new Random(7);
        for (var i = 0; i < 4; i++)
        {
            var output = Path.Combine(TestData.TempDirectory(), "bundles");
            using var process = KairosCli.Start(inputs.BuildArgs(output, inputs.PassedVerdict, $"kill-{i}"));
            Thread.Sleep(random.Next(200, 1500));
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();

            foreach (var dir in Directory.Exists(output) ? Directory.GetDirectories(output) : [])
            {
                if (Path.GetFileName(dir).StartsWith(ArtifactDirectory.TemporaryPrefix, StringComparison.Ordinal)) continue;
                Assert.True(BundleVerifier.Verify(dir, new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance }).Passed, dir);
            }
        }
    }
}
