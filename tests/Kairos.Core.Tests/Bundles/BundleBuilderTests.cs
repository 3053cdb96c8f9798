using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Errors;

namespace Kairos.Tests.Bundles;

public sealed class BundleBuilderTests
{
    [Fact]
    public void Build_CompleteDraft_WritesSelfDescribingVerifiedBundle()
    {
        var work = TestData.TempDirectory();

        var built = TestBundles.Build(work);

        Assert.Matches("^[0-9a-f]{16}$", built.BundleId);
        Assert.Equal(Path.Combine(work, "bundles", built.BundleId), built.Directory);
        Assert.False(built.AlreadyExisted);
        Assert.True(built.Verification.Passed, string.Join("\n", built.Verification.Failures));
        foreach (var file in new[] { "bundle_metadata.json", "model_card.json", "manifest.json", "feature_contract.json", "trees/calibrators/EU.json", "hybrid/weights.bin" })
            Assert.True(File.Exists(Path.Combine(built.Directory, file)), file);
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(built.Directory, "bundle_metadata.json")))!;
        Assert.Equal(1, (int)metadata["schema_version"]!);
        Assert.Equal(1, (int)metadata["min_reader_version"]!);
        Assert.Equal("v10_ctx", (string)metadata["model_variant"]!);
        Assert.True((bool)metadata["supports_context_features"]!);
        Assert.Equal(5, (int)metadata["expected_ctx_cat_dim"]!);
        Assert.Equal(built.BundleId, (string)metadata["bundle_id"]!);
        Assert.Equal("run01", (string)metadata["lineage"]!["run_id"]!);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(built.Directory, "manifest.json")))!;
        var paths = manifest["files"]!.AsArray().Select(f => (string)f!["path"]!).ToArray();
        Assert.Equal(13, paths.Length);
        Assert.DoesNotContain("manifest.json", paths);
        Assert.Equal(paths.Order(StringComparer.Ordinal), paths);
        Assert.Empty(Directory.GetDirectories(Path.Combine(work, "bundles"), ".tmp-*"));
    }

    [Fact]
    public void ComputeBundleId_RecordedPLong_LeavesTheIdAsWithoutIt()
    {
        var draft = TestBundles.Draft(TestData.TempDirectory());
        var hashes = draft.Files.ToDictionary(f => f.BundlePath, f => BundleManifest.HashFile(f.SourcePath));

        var without = BundleBuilder.ComputeBundleId(draft, hashes);
        var hybrid = BundleBuilder.ComputeBundleId(draft with { Metadata = draft.Metadata with { PLong = "hybrid" } }, hashes);
        var other = BundleBuilder.ComputeBundleId(draft with { Metadata = draft.Metadata with { SeqLen = 5 } }, hashes);

        // p_long follows from the evaluation and predictions files the id hashes: ids of bundles built before it stand.
        Assert.Equal(without, hybrid);
        Assert.NotEqual(without, other);
    }

    [Fact]
    public void Build_SameInputsTwice_SameIdSecondIsExisting()
    {
        var work = TestData.TempDirectory();
        var first = TestBundles.Build(work);

        var second = TestBundles.Build(work);

        Assert.Equal(first.BundleId, second.BundleId);
        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.True(second.AlreadyExisted);
    }

    [Fact]
    public void Build_DifferentWeights_DifferentId()
    {
        var a = TestBundles.Build(TestData.TempDirectory());
        var work = TestData.TempDirectory();
        var b = TestBundles.Build(work, TestBundles.Draft(work, weightsBytes: 4097));

        Assert.NotEqual(a.BundleId, b.BundleId);
    }

    [Fact]
    public void Build_InvalidCard_RejectedWithJsonPathAndNoBundleLeft()
    {
        var work = TestData.TempDirectory();
        var draft = TestBundles.Draft(work);
        draft = draft with { Card = draft.Card with { Metrics = draft.Card.Metrics with { PrAuc = 1.5 } } };

        var e = Assert.Throws<VerificationException>(() => TestBundles.Build(work, draft));

        Assert.Contains("$.metrics.pr_auc", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(work, "bundles")));
    }

    [Fact]
    public void Build_InconsistentComponentHash_RefusedAndNoBundleLeft()
    {
        var work = TestData.TempDirectory();

        var e = Assert.Throws<VerificationException>(() => TestBundles.Build(work, TestBundles.Draft(work, hybridHash: "ffffffffffffffff")));

        Assert.Contains("hybrid/bundle_metadata.json", e.Message);
        Assert.Contains("ffffffffffffffff", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(work, "bundles")));
    }

    [Fact]
    public void Build_ExecutableInput_Refused()
    {
        var work = TestData.TempDirectory();
        var draft = TestBundles.Draft(work);
        var library = Path.Combine(work, "evil.so");
        File.WriteAllBytes(library, [0x7f, 0x45, 0x4c, 0x46]);
        draft = draft with { Files = draft.Files.Append(new BundleSourceFile(library, "hybrid/evil.so")).ToArray() };

        var e = Assert.Throws<ConfigException>(() => TestBundles.Build(work, draft));

        Assert.Contains("'.so' is not allowed", e.Message);
    }

    [Fact]
    public void Build_WithLatencyMeasurement_CardCarriesLatency()
    {
        var work = TestData.TempDirectory();
        string? measuredIn = null;
        var options = new BundleBuildOptions
        {
            OutputRoot = Path.Combine(work, "bundles"),
            ContractAuthority = TestBundles.Authority,
            MeasureLatency = dir =>
            {
                measuredIn = dir;
                Assert.True(File.Exists(Path.Combine(dir, "hybrid", "weights.bin")));
                return LatencyFixtures.Measurement(p99Ms: 0.9);
            },
        };

        var built = BundleBuilder.Build(TestBundles.Draft(work), options);

        Assert.NotNull(measuredIn);
        Assert.NotEqual(built.Directory, measuredIn);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(built.Directory, "model_card.json")))!;
        Assert.Equal(0.9, (double)card["latency_ms"]!["p99"]!);
        Assert.Equal("full_path", (string)card["latency_detail"]!["stages"]![1]!["name"]!);
    }

    [Fact]
    public void ReplaceCard_AddsLatency_SameIdNewContentHashStillVerifies()
    {
        var work = TestData.TempDirectory();
        var built = TestBundles.Build(work);
        var latency = LatencyFixtures.Measurement(p99Ms: 1.2);

        var replaced = BundleBuilder.ReplaceCard(built.Directory, c => c with { LatencyMs = latency.FullPathMs, LatencyDetail = latency.Detail }, TestBundles.Authority);

        Assert.Equal(built.BundleId, replaced.BundleId);
        Assert.NotEqual(built.ContentHash, replaced.ContentHash);
        Assert.True(TestBundles.Verify(built.Directory).Passed);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(built.Directory, "model_card.json")))!;
        Assert.Equal(1.2, (double)card["latency_ms"]!["p99"]!);
        Assert.Single(Directory.GetDirectories(Path.Combine(work, "bundles")));
    }
}
