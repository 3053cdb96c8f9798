using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Errors;
using Kairos.Registry;
using Kairos.Tests.Bundles;
using Kairos.Artifacts;

namespace Kairos.Tests.Registry;

public sealed class ModelRegistryTests
{
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now = _now.AddMinutes(1);
    }

    private static ModelRegistry NewRegistry(string work) => new(Path.Combine(work, "registry"), new RegistryOptions
    {
        ContractAuthority = TestBundles.Authority,
        Time = new SteppingClock(new DateTimeOffset(2026, 1, 6, 12, 0, 0, TimeSpan.Zero)),
    });

    private static string Bundle(string work, int variant, string verdict = "passed")
    {
        var dir = Path.Combine(work, $"b{variant}");
        var draft = TestBundles.Draft(dir, weightsBytes: 4096 + variant);
        var gate = verdict == "absent" ? new ModelCardGate { Verdict = "absent" } : draft.Card.Gate with { Verdict = verdict };
        return TestBundles.Build(dir, draft with { Card = draft.Card with { Gate = gate } }).Directory;
    }

    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void List_VersionsRegisteredInTheSameSecond_NewestPromotionFirstWhateverTheBundleIds()
    {
        var work = TestData.TempDirectory();
        var registry = new ModelRegistry(Path.Combine(work, "registry"), new RegistryOptions
        {
            ContractAuthority = TestBundles.Authority,
            Time = new FrozenClock(new DateTimeOffset(2026, 1, 6, 12, 0, 0, TimeSpan.Zero)),
        });
        var promoted = Enumerable.Range(1, 4).Select(v => registry.Promote(Bundle(work, v)).To).ToArray();

        var listed = registry.List().Select(v => v.Name).ToArray();

        Assert.All(promoted, name => Assert.StartsWith("2026-01-06T12-00-00Z_", name));
        Assert.NotEqual(promoted.Reverse(), promoted.OrderByDescending(n => n, StringComparer.Ordinal));
        Assert.Equal(promoted.Reverse(), listed);
    }

    [Fact]
    public void Promote_WhileAnotherWriterHoldsTheLock_LockedAfterTheTimeoutNamingLockAndHolderAndNothingChanged()
    {
        var work = TestData.TempDirectory();
        var first = NewRegistry(work);
        var best = first.Promote(Bundle(work, 1)).To;
        var registry = new ModelRegistry(first.Root, new RegistryOptions { ContractAuthority = TestBundles.Authority, LockTimeout = TimeSpan.FromMilliseconds(200) });
        var lockFile = Path.Combine(registry.Root, "registry.lock");
        var candidate = Bundle(work, 2);

        LockedException e;
        using (ExclusiveLockFile.TryAcquire(lockFile, "another writer", TimeProvider.System) ?? throw new InvalidOperationException("registry.lock is held"))
            e = Assert.Throws<LockedException>(() => registry.Promote(candidate));

        Assert.Equal("registry-lock", e.Rule);
        Assert.Equal(registry.Root, e.Path);
        Assert.Equal(Environment.ProcessId, e.HolderPid);
        Assert.Contains(lockFile, e.Message);
        Assert.Contains($"pid {Environment.ProcessId}", e.Message);
        Assert.Equal(best, registry.BestVersion());
        Assert.Single(registry.List());
        Assert.True(registry.Promote(candidate).Changed);
    }

    [Fact]
    public void Promote_FirstBundle_RegisteredDatedVersionBecomesBest()
    {
        var work = TestData.TempDirectory();
        var registry = NewRegistry(work);

        var change = registry.Promote(Bundle(work, 1));

        Assert.True(change.Changed);
        Assert.True(change.Registered);
        Assert.Null(change.From);
        Assert.Matches(@"^2026-01-06T12-\d\d-00Z_[0-9a-f]{16}$", change.To);
        Assert.Equal(change.To, registry.BestVersion());
        Assert.Equal("versions/" + change.To, new FileInfo(Path.Combine(registry.Root, "best")).LinkTarget);
        Assert.True(TestBundles.Verify(Path.Combine(registry.Root, "best")).Passed);
        var version = Assert.Single(registry.List());
        Assert.True(version.IsBest);
        Assert.Equal("passed", version.GateVerdict);
        Assert.Equal(0.61, version.PrAuc);
    }

    [Fact]
    public void Rollback_AfterTwoPromotions_ReturnsToPreviousThenRefuses()
    {
        var work = TestData.TempDirectory();
        var registry = NewRegistry(work);
        var first = registry.Promote(Bundle(work, 1)).To;
        var second = registry.Promote(Bundle(work, 2)).To;
        Assert.Equal(1, registry.List().Single(v => v.Name == first).RollbackPosition);

        var back = registry.Rollback();

        Assert.Equal(second, back.From);
        Assert.Equal(first, back.To);
        Assert.Equal(first, registry.BestVersion());
        Assert.Empty(registry.CurrentState()!.Previous);
        var e = Assert.Throws<ConfigException>(() => registry.Rollback());
        Assert.Contains("there is no previous version", e.Message);
    }

    [Fact]
    public void Rollback_ToNamedVersion_TruncatesHistory()
    {
        var work = TestData.TempDirectory();
        var registry = NewRegistry(work);
        var v1 = registry.Promote(Bundle(work, 1)).To;
        var v2 = registry.Promote(Bundle(work, 2)).To;
        var v3 = registry.Promote(Bundle(work, 3)).To;
        Assert.Equal([v1, v2], registry.CurrentState()!.Previous);

        registry.Rollback(v1);

        Assert.Equal(v1, registry.BestVersion());
        Assert.Empty(registry.CurrentState()!.Previous);
        Assert.Equal([v1, v2, v3], registry.List().Select(v => v.Name).Order(StringComparer.Ordinal));
        Assert.Equal("rollback", registry.CurrentState()!.Action);
    }

    [Fact]
    public void Promote_FailedGate_RefusedBestUnchanged()
    {
        var work = TestData.TempDirectory();
        var registry = NewRegistry(work);
        var good = registry.Promote(Bundle(work, 1)).To;

        var e = Assert.Throws<GateFailedException>(() => registry.Promote(Bundle(work, 2, verdict: "failed")));

        Assert.Contains("failed its promotion gate", e.Message);
        Assert.Equal(good, registry.BestVersion());
        Assert.Single(registry.List());
    }

    [Fact]
    public void Promote_NoVerdict_NeedsAllowUngatedAndRecordsIt()
    {
        var work = TestData.TempDirectory();
        var registry = NewRegistry(work);
        var bundle = Bundle(work, 1, verdict: "absent");

        Assert.Throws<GateFailedException>(() => registry.Promote(bundle));
        var change = registry.Promote(bundle, allowUngated: true, reason: "first model, no baseline");

        Assert.True(change.State!.Ungated);
        Assert.Equal("first model, no baseline", registry.CurrentState()!.Reason);
    }

    [Fact]
    public void Promote_TamperedBundle_VerificationFailsNothingRegistered()
    {
        var work = TestData.TempDirectory();
        var registry = NewRegistry(work);
        var bundle = Bundle(work, 1);
        File.AppendAllText(Path.Combine(bundle, "trees", "model_EU.txt"), "x");

        var e = Assert.Throws<VerificationException>(() => registry.Promote(bundle));

        Assert.Contains("trees/model_EU.txt", e.Message);
        Assert.Null(registry.BestVersion());
        Assert.Empty(registry.List());
    }

    [Fact]
    public void Promote_SameContentAgain_ReusesVersionUnchanged()
    {
        var work = TestData.TempDirectory();
        var registry = NewRegistry(work);
        var bundle = Bundle(work, 1);
        var first = registry.Promote(bundle);

        var again = registry.Promote(bundle);

        Assert.False(again.Changed);
        Assert.False(again.Registered);
        Assert.Equal(first.To, again.To);
        Assert.Single(registry.List());
    }

    [Fact]
    public void CurrentState_RecordOfCrashedPromote_Ignored()
    {
        var work = TestData.TempDirectory();
        var registry = NewRegistry(work);
        var v1 = registry.Promote(Bundle(work, 1)).To;
        var v2 = registry.Promote(Bundle(work, 2)).To;
        var orphan = new JsonObject
        {
            ["schema_version"] = 1, ["seq"] = 3, ["best"] = "2027-01-01T00-00-00Z_ffffffffffffffff",
            ["previous"] = new JsonArray(v1, v2), ["action"] = "promote", ["at"] = "2027-01-01T00:00:00+00:00",
        };
        File.WriteAllText(Path.Combine(registry.Root, "states", "00000003.json"), orphan.ToJsonString());

        var state = registry.CurrentState()!;
        var back = registry.Rollback();

        Assert.Equal(2, state.Seq);
        Assert.Equal(v1, back.To);
        Assert.Equal(4, registry.CurrentState()!.Seq);
    }

    [Fact]
    public async Task Best_ConcurrentReadersWhilePromotingInLoop_NeverDanglingAlwaysComplete()
    {
        var work = TestData.TempDirectory();
        var registry = NewRegistry(work);
        var a = registry.Promote(Bundle(work, 1)).To;
        var b = registry.Promote(Bundle(work, 2)).To;
        var ids = registry.List().ToDictionary(v => v.BundleId!, v => v.Name);
        var best = Path.Combine(registry.Root, "best");
        var stop = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var reads = 0;

        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                try
                {
                    var id = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(best, "bundle_metadata.json")))!["bundle_id"]!;
                    var card = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(best, "model_card.json")))!["version"]!;
                    if (!ids.ContainsKey(id) || card != "2") failures.Enqueue($"unexpected content {id} {card}");
                    seen.AddOrUpdate(id, 1, (_, n) => n + 1);
                    Interlocked.Increment(ref reads);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    failures.Enqueue(e.GetType().Name + ": " + e.Message);
                }
            }
        })).ToArray();
        // At least 60 switches, and on until the readers (thread-pool tasks that a busy machine may start late)
        // have read through at least 200 of them, so that the readers really race the writer.
        var promotions = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (promotions < 60 || (Volatile.Read(ref reads) < 200 && DateTime.UtcNow < deadline))
            registry.Promote(promotions++ % 2 == 0 ? a : b);
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(readers);

        Assert.Empty(failures);
        Assert.True(reads >= 200, $"only {reads} reads in {promotions} promotions");
        Assert.Equal(2, seen.Count);
        Assert.Equal(promotions % 2 == 1 ? a : b, registry.BestVersion());
        Assert.Equal(2 + promotions, registry.CurrentState()!.Seq);
    }

    [Fact]
    public void Promote_UnknownSource_ConfigError()
    {
        var work = TestData.TempDirectory();

        var e = Assert.Throws<ConfigException>(() => NewRegistry(work).Promote(Path.Combine(work, "missing")));

        Assert.Contains("neither a bundle directory nor a version", e.Message);
    }
}
