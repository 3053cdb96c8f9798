using System.Globalization;
using Kairos.Bundles;
using Kairos.Errors;
using Kairos.Artifacts;

namespace Kairos.Registry;

/// <summary>
/// A directory of immutable, dated bundle versions with an atomically switched <c>best</c> pointer:
/// <code>
/// versions/&lt;yyyy-MM-ddTHH-mm-ssZ&gt;_&lt;bundle_id&gt;/   verified copies of bundles, never modified
/// states/&lt;seq&gt;.json                              promotion history, one immutable record per change
/// best -> versions/&lt;name&gt;                           symbolic link, replaced by one rename(2)
/// registry.lock                                      writers' lock (ExclusiveLockFile: the holder's pid inside)
/// </code>
/// Readers never lock: <c>best</c> always names a complete version (versions are published by rename
/// before any pointer can name them, and are never deleted), so a reader sees the old best or the new one.
/// A writer killed at any point leaves the previous state (plus, at most, a complete unpromoted version
/// or an ignored state record) or the new one.
/// </summary>
public sealed class ModelRegistry
{
    public const string VersionsDirectory = "versions";
    public const string StatesDirectory = "states";
    public const string BestLink = "best";
    private const int StateSchemaVersion = 1;

    private readonly RegistryOptions _options;

    public ModelRegistry(string root, RegistryOptions options)
    {
        Root = Path.GetFullPath(root);
        _options = options;
    }

    public string Root { get; }

    private string Versions => Path.Combine(Root, VersionsDirectory);
    private string States => Path.Combine(Root, StatesDirectory);
    private BundleVerifyOptions VerifyOptions => new() { ContractAuthority = _options.ContractAuthority };

    /// <summary>The version <c>best</c> names, or null when nothing was promoted yet.</summary>
    public string? BestVersion()
    {
        var target = new FileInfo(Path.Combine(Root, BestLink)).LinkTarget;
        if (target is null) return null;
        var name = Path.GetFileName(target.TrimEnd('/'));
        return name;
    }

    /// <summary>The state in force: the newest record naming the current best (null before the first promote).</summary>
    public RegistryState? CurrentState()
    {
        var best = BestVersion();
        if (best is null) return null;
        return ReadStates().OrderByDescending(s => s.Seq).FirstOrDefault(s => s.Best == best)
            ?? throw new VerificationException($"registry {Root}", [$"best names version {best} but no state record does; the registry was changed by hand"]);
    }

    /// <summary>Every registered version, newest first, marked best or with its rollback position.</summary>
    public IReadOnlyList<RegistryVersion> List()
    {
        var state = CurrentState();
        // Newest first: by the registration time in the name, and within one second (names then differ only in the
        // bundle id) by the first state record that made the version best, i.e. the order of promotion.
        var firstBest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in ReadStates())
            if (s.Best is { } b && (!firstBest.TryGetValue(b, out var seq) || s.Seq < seq)) firstBest[b] = s.Seq;
        return VersionNames()
            .OrderByDescending(n => n.IndexOf('_') is var i and > 0 ? n[..i] : n, StringComparer.Ordinal)
            .ThenByDescending(n => firstBest.GetValueOrDefault(n, -1))
            .ThenByDescending(n => n, StringComparer.Ordinal)
            .Select(n => Describe(n, state)).ToArray();
    }

    /// <summary>One version (default: best), fully verified.</summary>
    public (RegistryVersion Version, BundleVerification Verification) Show(string? version = null)
    {
        var name = version ?? BestVersion() ?? throw new ConfigException("registry show", [$"registry {Root} has no best version yet; name a version"]);
        RequireVersion(name, "registry show");
        var verification = BundleVerifier.Verify(Path.Combine(Versions, name), VerifyOptions);
        return (Describe(name, CurrentState()), verification);
    }

    /// <summary>
    /// Makes a bundle (a bundle directory, or the name of a registered version) the best: verifies it, refuses
    /// a failed or missing gate verdict (unless <paramref name="allowUngated"/>), registers a copy as a new
    /// dated version when its content is not registered yet, writes the state record and switches the pointer.
    /// </summary>
    /// <exception cref="VerificationException">The bundle failed verification (exit code 3).</exception>
    /// <exception cref="GateFailedException">The bundle's gate verdict failed or is missing (exit code 4).</exception>
    public RegistryChange Promote(string bundleOrVersion, bool allowUngated = false, string? reason = null)
    {
        Directory.CreateDirectory(Versions);
        Directory.CreateDirectory(States);
        using var _ = RegistryLock.Acquire(Root, $"registry promote {bundleOrVersion}", _options.LockTimeout, _options.Time);
        RemoveStaleTemporaries();

        var isVersion = IsVersionName(bundleOrVersion) && Directory.Exists(Path.Combine(Versions, bundleOrVersion));
        var source = isVersion ? Path.Combine(Versions, bundleOrVersion) : Path.GetFullPath(bundleOrVersion);
        if (!isVersion && !Directory.Exists(source))
            throw new ConfigException("registry promote", [$"'{bundleOrVersion}' is neither a bundle directory nor a version of registry {Root}"]);

        var bundle = Bundle.Open(source, VerifyOptions);
        var ungated = CheckGate(bundle, allowUngated);

        var registered = false;
        var name = isVersion ? bundleOrVersion : FindByContent(bundle.Verification.ContentHash!);
        if (name is null)
        {
            name = Register(bundle);
            registered = true;
        }

        var state = CurrentState();
        if (state?.Best == name)
            return new RegistryChange { Action = "promote", From = name, To = name, Changed = false, Registered = registered, State = state };
        var previous = state is null ? [] : state.Previous.Append(state.Best).ToArray();
        var next = Switch(name, previous, "promote", ungated, reason);
        return new RegistryChange { Action = "promote", From = state?.Best, To = name, Changed = true, Registered = registered, State = next };
    }

    /// <summary>
    /// Makes an earlier version best again: by default the one that was best before the current one (undoing
    /// the last promotion), or the named <paramref name="toVersion"/>. The target is verified first.
    /// </summary>
    public RegistryChange Rollback(string? toVersion = null, bool allowUngated = false, string? reason = null)
    {
        if (!Directory.Exists(Root))
            throw new ConfigException("registry rollback", [$"registry {Root} does not exist: nothing to roll back"]);
        using var _ = RegistryLock.Acquire(Root, $"registry rollback{(toVersion is null ? "" : " --to " + toVersion)}", _options.LockTimeout, _options.Time);
        RemoveStaleTemporaries();
        var state = CurrentState() ?? throw new ConfigException("registry rollback", [$"registry {Root} has no best version: nothing to roll back"]);

        string target;
        IReadOnlyList<string> previous;
        if (toVersion is null)
        {
            if (state.Previous.Count == 0)
                throw new ConfigException("registry rollback", [$"{state.Best} is the first promoted version: there is no previous version; name one with --to"]);
            target = state.Previous[^1];
            previous = state.Previous.Take(state.Previous.Count - 1).ToArray();
        }
        else
        {
            RequireVersion(toVersion, "registry rollback");
            if (toVersion == state.Best)
                return new RegistryChange { Action = "rollback", From = state.Best, To = toVersion, Changed = false, Registered = false, State = state };
            target = toVersion;
            var index = state.Previous.ToList().LastIndexOf(toVersion);
            previous = index >= 0 ? state.Previous.Take(index).ToArray() : state.Previous.Append(state.Best).ToArray();
        }

        var bundle = Bundle.Open(Path.Combine(Versions, target), VerifyOptions);
        var ungated = CheckGate(bundle, allowUngated || state.Previous.Contains(target));
        var next = Switch(target, previous, "rollback", ungated, reason);
        return new RegistryChange { Action = "rollback", From = state.Best, To = target, Changed = true, Registered = false, State = next };
    }

    private static bool CheckGate(Bundle bundle, bool allowUngated)
    {
        var verdict = bundle.Card.Gate.Verdict;
        if (verdict == "failed")
            throw new GateFailedException($"bundle {bundle.Metadata.BundleId} failed its promotion gate (verdict in {bundle.Card.Gate.File ?? "model_card.json"}); it cannot become best");
        if (verdict != "passed" && !allowUngated)
            throw new GateFailedException($"bundle {bundle.Metadata.BundleId} has no gate verdict; evaluate it against the current best (kairos promote) or pass --allow-ungated");
        return verdict != "passed";
    }

    private RegistryState Switch(string version, IReadOnlyList<string> previous, string action, bool ungated, string? reason)
    {
        var seq = ReadStates().Select(s => s.Seq).DefaultIfEmpty(0).Max() + 1;
        var state = new RegistryState
        {
            SchemaVersion = StateSchemaVersion,
            Seq = seq,
            Best = version,
            Previous = previous,
            Action = action,
            At = _options.Time.GetUtcNow(),
            Ungated = ungated,
            Reason = reason,
        };
        var statePath = Path.Combine(States, seq.ToString("D8", CultureInfo.InvariantCulture) + ".json");
        var temporary = Path.Combine(States, $"{ArtifactDirectory.TemporaryPrefix}{Guid.NewGuid():N}.json");
        ArtifactDirectory.WriteFile(temporary, BundleJson.Serialize(state));
        File.Move(temporary, statePath, overwrite: false);
        NativeFileSystem.SyncDirectory(States);

        var link = Path.Combine(Root, $"{BestLink}{ArtifactDirectory.TemporaryPrefix}{Guid.NewGuid():N}");
        File.CreateSymbolicLink(link, $"{VersionsDirectory}/{version}");
        NativeFileSystem.Rename(link, Path.Combine(Root, BestLink));
        NativeFileSystem.SyncDirectory(Root);
        return state;
    }

    private string Register(Bundle bundle)
    {
        var at = _options.Time.GetUtcNow().UtcDateTime;
        var name = $"{at.ToString("yyyy-MM-dd'T'HH-mm-ss'Z'", CultureInfo.InvariantCulture)}_{bundle.Metadata.BundleId}";
        for (var n = 2; Directory.Exists(Path.Combine(Versions, name)); n++)
            name = $"{at.ToString("yyyy-MM-dd'T'HH-mm-ss'Z'", CultureInfo.InvariantCulture)}_{bundle.Metadata.BundleId}.{n}";

        var temporary = ArtifactDirectory.CreateTemporarySibling(Versions, name);
        try
        {
            foreach (var relative in bundle.Files.Append(BundleFormat.ManifestFile))
            {
                var destination = Path.Combine(temporary, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                ArtifactDirectory.CopyFile(relative == BundleFormat.ManifestFile ? Path.Combine(bundle.Directory, relative) : bundle.PathOf(relative), destination);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(destination, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
            var copy = BundleVerifier.Verify(temporary, VerifyOptions).ThrowIfFailed();
            if (copy.ContentHash != bundle.Verification.ContentHash)
                throw new VerificationException($"bundle {bundle.Directory}", ["the bundle changed while it was being registered"]);
            ArtifactDirectory.Publish(temporary, Path.Combine(Versions, name));
        }
        catch
        {
            ArtifactDirectory.Discard(temporary);
            throw;
        }
        return name;
    }

    private string? FindByContent(string contentHash)
    {
        foreach (var name in VersionNames())
        {
            var problems = new List<string>();
            var manifest = BundleJson.TryRead<BundleManifest>(Path.Combine(Versions, name, BundleFormat.ManifestFile), BundleFormat.ManifestFile, problems);
            if (manifest?.ContentHash == contentHash && BundleVerifier.Verify(Path.Combine(Versions, name), VerifyOptions).Passed) return name;
        }
        return null;
    }

    private RegistryVersion Describe(string name, RegistryState? state)
    {
        var dir = Path.Combine(Versions, name);
        var problems = new List<string>();
        var metadata = BundleJson.TryRead<BundleMetadata>(Path.Combine(dir, BundleFormat.MetadataFile), BundleFormat.MetadataFile, problems);
        var card = BundleJson.TryRead<ModelCard>(Path.Combine(dir, BundleFormat.ModelCardFile), BundleFormat.ModelCardFile, problems);
        var manifest = BundleJson.TryRead<BundleManifest>(Path.Combine(dir, BundleFormat.ManifestFile), BundleFormat.ManifestFile, problems);
        int? position = null;
        if (state is not null)
        {
            var index = state.Previous.ToList().LastIndexOf(name);
            if (index >= 0) position = state.Previous.Count - index;
        }
        return new RegistryVersion
        {
            Name = name,
            Directory = dir,
            BundleId = metadata?.BundleId,
            ContentHash = manifest?.ContentHash,
            ModelVariant = metadata?.ModelVariant,
            FeatureContractHash = metadata?.FeatureContractHash,
            BuiltAt = metadata?.CreatedAt,
            GateVerdict = card?.Gate.Verdict,
            PrAuc = card?.Metrics.PrAuc,
            Brier = card?.Metrics.Brier,
            LatencyP99Ms = card?.LatencyMs?.P99,
            IsBest = state?.Best == name,
            RollbackPosition = position,
            Problem = problems.Count == 0 ? null : string.Join("; ", problems),
        };
    }

    private IEnumerable<string> VersionNames() =>
        Directory.Exists(Versions)
            ? new DirectoryInfo(Versions).EnumerateDirectories().Where(d => d.LinkTarget is null && IsVersionName(d.Name)).Select(d => d.Name)
            : [];

    private IReadOnlyList<RegistryState> ReadStates()
    {
        if (!Directory.Exists(States)) return [];
        var states = new List<RegistryState>();
        foreach (var file in Directory.EnumerateFiles(States, "*.json"))
        {
            if (Path.GetFileName(file).StartsWith('.')) continue;
            var problems = new List<string>();
            var state = BundleJson.TryRead<RegistryState>(file, file, problems) ?? throw new VerificationException($"registry {Root}", problems);
            states.Add(state);
        }
        return states;
    }

    private void RequireVersion(string name, string command)
    {
        if (!IsVersionName(name) || !Directory.Exists(Path.Combine(Versions, name)))
            throw new ConfigException(command, [$"registry {Root} has no version '{name}' (see kairos registry list)"]);
    }

    private void RemoveStaleTemporaries()
    {
        foreach (var dir in Directory.Exists(Versions) ? Directory.GetDirectories(Versions, ArtifactDirectory.TemporaryPrefix + "*") : [])
            ArtifactDirectory.Discard(dir);
        foreach (var file in Directory.Exists(States) ? Directory.GetFiles(States, ArtifactDirectory.TemporaryPrefix + "*") : [])
            File.Delete(file);
        foreach (var link in Directory.GetFileSystemEntries(Root, BestLink + ArtifactDirectory.TemporaryPrefix + "*"))
            File.Delete(link);
    }

    private static bool IsVersionName(string name) =>
        name.Length > 0 && !name.StartsWith('.') && BundlePath.Problem(name) is null && !name.Contains('/');
}
