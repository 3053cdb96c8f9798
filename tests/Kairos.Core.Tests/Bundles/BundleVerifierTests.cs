using System.Diagnostics;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Errors;

namespace Kairos.Tests.Bundles;

public sealed class BundleVerifierTests
{
    private static (string Work, string Dir) Built()
    {
        var work = TestData.TempDirectory();
        return (work, TestBundles.Build(work).Directory);
    }

    private static VerificationCheck Check(BundleVerification v, string name) => v.Checks.Single(c => c.Name == name);

    [Fact]
    public void Verify_IntactBundle_EveryCheckPasses()
    {
        var (_, dir) = Built();

        var v = TestBundles.Verify(dir, expectedHash: TestBundles.ContractHash);

        Assert.True(v.Passed, string.Join("\n", v.Failures));
        Assert.Equal(
            ["manifest", "metadata", "model_card", "feature_contract", "expected_hash", "runtime_contract", "components"],
            v.Checks.Select(c => c.Name));
        Assert.Equal(TestBundles.ContractHash, v.FeatureContractHash);
    }

    [Fact]
    public void Verify_TamperedWeights_ManifestFailsNamingFile()
    {
        var (_, dir) = Built();
        using (var s = new FileStream(Path.Combine(dir, "hybrid", "weights.bin"), FileMode.Open)) { s.Position = 10; s.WriteByte(0); s.WriteByte(1); }

        var v = TestBundles.Verify(dir);

        Assert.False(v.Passed);
        var problem = Assert.Single(Check(v, "manifest").Problems);
        Assert.StartsWith("'hybrid/weights.bin': SHA-256 is ", problem);
        Assert.Throws<VerificationException>(() => v.ThrowIfFailed());
    }

    [Fact]
    public void Verify_UnlistedFile_Fails()
    {
        var (_, dir) = Built();
        File.WriteAllText(Path.Combine(dir, "trees", "extra.txt"), "x");

        var v = TestBundles.Verify(dir);

        Assert.Contains("'trees/extra.txt' is in the bundle but not in the manifest", Check(v, "manifest").Problems);
    }

    [Theory]
    [InlineData("../outside.json", "'..' segment")]
    [InlineData("trees/../../outside.json", "'..' segment")]
    [InlineData("/etc/hostname", "absolute")]
    [InlineData("trees\\..\\..\\outside.json", "backslash")]
    [InlineData("trees//model_EU.txt", "empty segment")]
    public void Verify_ManifestPathEscaping_RejectedNeverRead(string path, string reason)
    {
        var (work, dir) = Built();
        var outside = Path.Combine(work, "bundles", "outside.json");
        File.WriteAllText(outside, "{}");
        TestBundles.Remanifest(dir, entries => entries.Append(new ManifestEntry { Path = path, Bytes = 2, Sha256 = BundleManifest.HashFile(outside) }));

        var v = TestBundles.Verify(dir);

        var problem = Assert.Single(Check(v, "manifest").Problems);
        Assert.Contains(reason, problem);
        Assert.Throws<VerificationException>(() => Bundle.Open(dir, new BundleVerifyOptions { ContractAuthority = TestBundles.Authority }));
    }

    [Fact]
    public void Verify_SymlinkedFileToOutside_Rejected()
    {
        var (work, dir) = Built();
        var outside = Path.Combine(work, "secret.json");
        File.WriteAllText(outside, "{}");
        var model = Path.Combine(dir, "trees", "model_EU.txt");
        File.Delete(model);
        File.CreateSymbolicLink(model, outside);

        var v = TestBundles.Verify(dir);

        Assert.Contains(Check(v, "manifest").Problems, p => p.Contains("'trees/model_EU.txt': 'trees/model_EU.txt' is a symbolic link"));
        Assert.Contains(Check(v, "manifest").Problems, p => p.Contains("symbolic link or special file"));
    }

    [Fact]
    public void Verify_SymlinkedDirectory_Rejected()
    {
        var (work, dir) = Built();
        var elsewhere = Path.Combine(work, "elsewhere");
        Directory.Move(Path.Combine(dir, "evaluation"), elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(dir, "evaluation"), elsewhere);

        var v = TestBundles.Verify(dir);

        Assert.Contains(Check(v, "manifest").Problems, p => p == "'evaluation/metrics.json': 'evaluation' is a symbolic link");
    }

    [Fact]
    public void Verify_FifoInBundle_RejectedWithoutBlocking()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (_, dir) = Built();
        var fifo = Path.Combine(dir, "trees", "model_US.txt");
        File.Delete(fifo);
        Process.Start("mkfifo", fifo)!.WaitForExit();

        var v = TestBundles.Verify(dir);

        Assert.Contains(Check(v, "manifest").Problems, p => p == "'trees/model_US.txt': is not a regular file (a FIFO, socket or device)");
    }

    [Fact]
    public void Verify_ExecutableListedInManifest_Rejected()
    {
        var (_, dir) = Built();
        File.WriteAllBytes(Path.Combine(dir, "hybrid", "model.dll"), [0x4d, 0x5a]);
        TestBundles.Remanifest(dir);

        var v = TestBundles.Verify(dir);

        Assert.Contains("'hybrid/model.dll': file kind '.dll' is not allowed in a bundle (data files only)", Check(v, "manifest").Problems);
    }

    [Fact]
    public void Verify_WrongExpectedHash_ExpectedHashFails()
    {
        var (_, dir) = Built();

        var v = TestBundles.Verify(dir, expectedHash: "93ab1d31534f2dc7");

        Assert.Equal([$"feature_contract_hash is {TestBundles.ContractHash}, expected 93ab1d31534f2dc7"], Check(v, "expected_hash").Problems);
        Assert.True(Check(v, "manifest").Passed);
    }

    [Fact]
    public void Verify_RunningCodeHasOtherContract_RuntimeContractFails()
    {
        var (_, dir) = Built();

        var v = TestBundles.Verify(dir, authority: new TestContractAuthority("0123456789abcdef"));

        Assert.False(v.Passed);
        Assert.Contains("running feature code produces 0123456789abcdef", Assert.Single(Check(v, "runtime_contract").Problems));
    }

    [Fact]
    public void Verify_ContractFileEdited_ContractFails()
    {
        var (_, dir) = Built();
        File.WriteAllText(Path.Combine(dir, "feature_contract.json"), TestBundles.ContractJson.Replace(""",{"name":"d"}""", ""));
        TestBundles.Remanifest(dir);

        var v = TestBundles.Verify(dir);

        var problems = Check(v, "feature_contract").Problems;
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("feature_contract.json hashes to ", problems[0]);
        Assert.Equal("feature contract has 3 snapshot_features, bundle_metadata.json n_snap_features is 4", problems[1]);
        Assert.True(Check(v, "manifest").Passed);
    }

    [Fact]
    public void Verify_ContextVariantWithoutContextSupport_MetadataFails()
    {
        var (_, dir) = Built();
        var path = Path.Combine(dir, "bundle_metadata.json");
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["supports_context_features"] = false;
        node["expected_ctx_cont_dim"] = 3;
        File.WriteAllText(path, node.ToJsonString());
        TestBundles.Remanifest(dir);

        var v = TestBundles.Verify(dir);

        Assert.Contains("model_variant v10_ctx needs supports_context_features == true", Check(v, "metadata").Problems);
        Assert.Contains("supports_context_features is false but context dimensions are not 0", Check(v, "metadata").Problems);
        Assert.Contains(Check(v, "components").Problems, p => p.StartsWith("'hybrid/bundle_metadata.json': supports_context_features is True", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_NewerFormat_RefusedByReader()
    {
        var (_, dir) = Built();
        var path = Path.Combine(dir, "bundle_metadata.json");
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["min_reader_version"] = 99;
        File.WriteAllText(path, node.ToJsonString());
        TestBundles.Remanifest(dir);

        var v = TestBundles.Verify(dir);

        Assert.Contains(Kairos.Artifacts.ArtifactVersion.TooNew("bundle_metadata.json", "bundle", 99, 1).Message, Check(v, "metadata").Problems);
    }

    [Fact]
    public void Verify_InvalidCard_FailsWithJsonPath()
    {
        var (_, dir) = Built();
        TestBundles.EditCard(dir, card =>
        {
            card["train"]!["rows"] = 0;
            card.Remove("gate");
            card["surprise"] = 1;
        });

        var v = TestBundles.Verify(dir);

        var problems = Check(v, "model_card").Problems;
        Assert.Contains(problems, p => p.StartsWith("schema: $.train.rows: number too small", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("schema: $.gate: property required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("schema: $.surprise: no additional properties allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_CardDisagreesWithMetadata_ModelCardFails()
    {
        var (_, dir) = Built();
        TestBundles.EditCard(dir, card =>
        {
            card["model_variant"] = "v10";
            card["train"]!["class_balance"]!["pos"] = 1;
            card["calibration"]!["per_session"]!.AsArray().RemoveAt(1);
        });

        var problems = Check(TestBundles.Verify(dir), "model_card").Problems;

        Assert.Contains("model_variant is v10, bundle_metadata.json says v10_ctx", problems);
        Assert.Contains("train.class_balance pos 1 + neg 520 != train.rows 1000", problems);
        Assert.Contains("calibration is required but session US has no calibrator (calibration.per_session)", problems);
    }

    [Fact]
    public void Verify_MissingDirectory_Fails()
    {
        var v = TestBundles.Verify(Path.Combine(TestData.TempDirectory(), "nope"));

        Assert.False(v.Passed);
        Assert.Equal(["manifest: bundle directory does not exist"], v.Failures);
    }
}
