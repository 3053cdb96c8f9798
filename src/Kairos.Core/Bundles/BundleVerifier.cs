using Kairos.Artifacts;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kairos.Bundles;

/// <summary>
/// Verifies a bundle directory without executing anything from it: every file against the manifest (paths
/// confined to the bundle, no links or special files, no unlisted files, sizes and SHA-256), the metadata
/// and its format version, the Model Card against its JSON Schema and against the metadata, the feature
/// contract against its hash and against the running feature code, and the components' own metadata.
/// Every check runs and every problem is reported; nothing stops at the first failure.
/// </summary>
public static partial class BundleVerifier
{
    public const string ManifestCheck = "manifest";
    public const string MetadataCheck = "metadata";
    public const string ModelCardCheck = "model_card";
    public const string ContractCheck = "feature_contract";
    public const string ExpectedHashCheck = "expected_hash";
    public const string RuntimeContractCheck = "runtime_contract";
    public const string ComponentsCheck = "components";

    private static readonly string[] RequiredFiles = [BundleFormat.MetadataFile, BundleFormat.ModelCardFile, BundleFormat.FeatureContractFile];

    public static BundleVerification Verify(string directory, BundleVerifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
            return new BundleVerification { Directory = root, Checks = [Fail(ManifestCheck, "bundle directory does not exist")] };

        var checks = new List<VerificationCheck>();
        var (manifestCheck, manifest, verified) = CheckManifest(root, options);
        checks.Add(manifestCheck);

        var (metadataCheck, metadata) = CheckMetadata(root, verified);
        checks.Add(metadataCheck);
        checks.Add(CheckModelCard(root, verified, metadata));

        string? contractJson = verified.Contains(BundleFormat.FeatureContractFile)
            ? File.ReadAllText(Path.Combine(root, BundleFormat.FeatureContractFile))
            : null;
        checks.Add(CheckContract(contractJson, metadata, options.ContractAuthority));
        if (options.ExpectedContractHash is { } expected)
        {
            var actual = metadata?.FeatureContractHash;
            checks.Add(actual is not null && string.Equals(actual, expected.Trim(), StringComparison.OrdinalIgnoreCase)
                ? Pass(ExpectedHashCheck, expected)
                : Fail(ExpectedHashCheck, $"feature_contract_hash is {actual ?? "unknown"}, expected {expected}"));
        }
        var datasetPath = metadata?.Components?.GetValueOrDefault("dataset");
        string? datasetJson = datasetPath is not null && verified.Contains(datasetPath) ? File.ReadAllText(Path.Combine(root, datasetPath)) : null;
        checks.Add(CheckRuntimeContract(contractJson, datasetJson, metadata, options.ContractAuthority));
        checks.Add(CheckComponents(root, verified, metadata));

        return new BundleVerification
        {
            Directory = root,
            Checks = checks,
            BundleId = metadata?.BundleId,
            ContentHash = manifest?.ContentHash,
            FeatureContractHash = metadata?.FeatureContractHash,
            ModelVariant = metadata?.ModelVariant,
        };
    }

    private static (VerificationCheck, BundleManifest?, HashSet<string>) CheckManifest(string root, BundleVerifyOptions options)
    {
        var problems = new List<string>();
        var verified = new HashSet<string>(StringComparer.Ordinal);
        var manifest = BundleJson.TryRead<BundleManifest>(Path.Combine(root, BundleFormat.ManifestFile), BundleFormat.ManifestFile, problems);
        if (manifest is null) return (Fail(ManifestCheck, problems), null, verified);

        if (manifest.MinReaderVersion > BundleFormat.ReaderVersion)
            problems.Add(ArtifactVersion.TooNew("manifest", "bundle", manifest.MinReaderVersion, BundleFormat.ReaderVersion).Message);
        if (manifest.Algorithm != "sha256") problems.Add($"algorithm '{manifest.Algorithm}' is not supported (sha256)");

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Files ?? [])
        {
            var path = entry.Path ?? "";
            if (!listed.Add(path))
            {
                problems.Add($"'{path}' is listed more than once");
                continue;
            }
            if (BundlePath.Problem(path) is { } bad)
            {
                problems.Add($"'{path}': {bad}");
                continue;
            }
            if (path == BundleFormat.ManifestFile)
            {
                problems.Add($"'{path}': the manifest cannot list itself");
                continue;
            }
            if (!BundleFormat.AllowedExtensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
            {
                problems.Add($"'{path}': file kind '{Path.GetExtension(path)}' is not allowed in a bundle (data files only)");
                continue;
            }
            if (!BundlePath.TryResolve(root, path, out var full, out var problem))
            {
                problems.Add($"'{path}': {problem}");
                continue;
            }
            if (entry.Sha256 is null || !Sha256Pattern().IsMatch(entry.Sha256))
            {
                problems.Add($"'{path}': sha256 '{entry.Sha256}' is not 64 lower-case hex digits");
                continue;
            }
            var bytes = new FileInfo(full).Length;
            if (bytes != entry.Bytes)
            {
                problems.Add($"'{path}': size is {bytes} bytes, manifest says {entry.Bytes}");
                continue;
            }
            var hash = BundleManifest.HashFile(full);
            if (hash != entry.Sha256)
            {
                problems.Add($"'{path}': SHA-256 is {hash}, manifest says {entry.Sha256}");
                continue;
            }
            verified.Add(path);
        }

        var files = BundleManifest.ListFiles(root, out var notRegular);
        foreach (var odd in notRegular) problems.Add($"'{odd}' is a symbolic link or special file; bundles hold regular files only");
        foreach (var file in files)
            if (file != BundleFormat.ManifestFile && !listed.Contains(file))
                problems.Add($"'{file}' is in the bundle but not in the manifest");
        foreach (var required in RequiredFiles)
            if (!listed.Contains(required)) problems.Add($"'{required}' is not in the manifest");

        var recomputed = BundleManifest.ComputeContentHash(manifest.Files ?? []);
        if (recomputed != manifest.ContentHash)
            problems.Add($"content_hash is {manifest.ContentHash}, the entries hash to {recomputed}");
        if (options.ExpectedContentHash is { } expected && !string.Equals(expected.Trim(), manifest.ContentHash, StringComparison.OrdinalIgnoreCase))
            problems.Add($"content_hash is {manifest.ContentHash}, expected {expected}");

        var check = problems.Count == 0
            ? Pass(ManifestCheck, $"{verified.Count} files, content hash {manifest.ContentHash}")
            : Fail(ManifestCheck, problems);
        return (check, manifest, verified);
    }

    private static (VerificationCheck, BundleMetadata?) CheckMetadata(string root, HashSet<string> verified)
    {
        var problems = new List<string>();
        if (!verified.Contains(BundleFormat.MetadataFile))
            return (Fail(MetadataCheck, $"{BundleFormat.MetadataFile} is not a verified file of the bundle"), null);
        var m = BundleJson.TryRead<BundleMetadata>(Path.Combine(root, BundleFormat.MetadataFile), BundleFormat.MetadataFile, problems);
        if (m is null) return (Fail(MetadataCheck, problems), null);

        if (m.MinReaderVersion > BundleFormat.ReaderVersion)
            problems.Add(ArtifactVersion.TooNew("bundle_metadata.json", "bundle", m.MinReaderVersion, BundleFormat.ReaderVersion).Message);
        if (m.Kind != "kairos.bundle") problems.Add($"kind is '{m.Kind}', expected 'kairos.bundle'");
        if (!Hash16Pattern().IsMatch(m.BundleId ?? "")) problems.Add($"bundle_id '{m.BundleId}' is not 16 lower-case hex digits");
        if (!Hash16Pattern().IsMatch(m.FeatureContractHash ?? "")) problems.Add($"feature_contract_hash '{m.FeatureContractHash}' is not 16 lower-case hex digits");
        if (string.IsNullOrEmpty(m.ModelVariant)) problems.Add("model_variant is empty");
        if (m.ModelVariant.StartsWith(BundleFormat.ContextVariant, StringComparison.Ordinal) && !m.SupportsContextFeatures)
            problems.Add($"model_variant {m.ModelVariant} needs supports_context_features == true");
        if (m.SupportsContextFeatures && (m.ExpectedCtxCatDim < 1 || m.ExpectedCtxContDim < 1))
            problems.Add($"supports_context_features is true but context dims are {m.ExpectedCtxCatDim} + {m.ExpectedCtxContDim}");
        if (!m.SupportsContextFeatures && (m.ExpectedCtxCatDim != 0 || m.ExpectedCtxContDim != 0))
            problems.Add("supports_context_features is false but context dimensions are not 0");
        if (m.SeqLen < 1) problems.Add($"seq_len {m.SeqLen} must be at least 1");
        if (m.NSeqFeatures < 1) problems.Add($"n_seq_features {m.NSeqFeatures} must be at least 1");
        if (m.NSnapFeatures < 1) problems.Add($"n_snap_features {m.NSnapFeatures} must be at least 1");
        if (m.Sessions is null || m.Sessions.Count == 0) problems.Add("sessions is empty: a bundle needs at least one session model");
        else if (m.Sessions.Distinct(StringComparer.Ordinal).Count() != m.Sessions.Count) problems.Add("sessions lists a session twice");
        if (m.CalibrationRequired && m.CalibrationMethod is not ("platt" or "isotonic"))
            problems.Add($"calibration is required but calibration_method is '{m.CalibrationMethod}'");
        foreach (var (role, path) in m.Components ?? new Dictionary<string, string>())
        {
            if (BundlePath.Problem(path) is { } bad) problems.Add($"component '{role}' path '{path}': {bad}");
            else if (!verified.Contains(path) && !verified.Any(f => f.StartsWith(path + "/", StringComparison.Ordinal)))
                problems.Add($"component '{role}' ('{path}') is not in the bundle");
        }
        if (m.Lineage is null) problems.Add("lineage is missing");
        if (m.PLong is { } judged && (judged is not (BundleFormat.TreesDirectory or BundleFormat.HybridDirectory) || m.Components?.ContainsKey(judged) != true))
            problems.Add($"p_long '{judged}' must name the component that gives p_long, '{BundleFormat.TreesDirectory}' or '{BundleFormat.HybridDirectory}', and the bundle must hold it");

        var check = problems.Count == 0
            ? Pass(MetadataCheck, $"{m.ModelVariant}, seq_len {m.SeqLen}, {m.NSeqFeatures} seq + {m.NSnapFeatures} snap features, ctx {m.ExpectedCtxCatDim}+{m.ExpectedCtxContDim}")
            : Fail(MetadataCheck, problems);
        return (check, m);
    }

    private static VerificationCheck CheckModelCard(string root, HashSet<string> verified, BundleMetadata? metadata)
    {
        if (!verified.Contains(BundleFormat.ModelCardFile))
            return Fail(ModelCardCheck, $"{BundleFormat.ModelCardFile} is not a verified file of the bundle");
        var text = File.ReadAllText(Path.Combine(root, BundleFormat.ModelCardFile));
        var problems = ModelCardSchema.Validate(text).Select(p => "schema: " + p).ToList();
        if (problems.Count > 0) return Fail(ModelCardCheck, problems);

        var card = BundleJson.TryRead<ModelCard>(Path.Combine(root, BundleFormat.ModelCardFile), BundleFormat.ModelCardFile, problems);
        if (card is null) return Fail(ModelCardCheck, problems);
        problems.AddRange(ModelCardRules.Check(card, metadata, verified));
        return problems.Count == 0 ? Pass(ModelCardCheck, "valid Model Card v2") : Fail(ModelCardCheck, problems);
    }

    private static VerificationCheck CheckContract(string? contractJson, BundleMetadata? metadata, IFeatureContractAuthority authority)
    {
        if (contractJson is null) return Fail(ContractCheck, $"{BundleFormat.FeatureContractFile} is not a verified file of the bundle");
        string hash;
        try
        {
            hash = authority.HashOf(contractJson);
        }
        catch (Exception e) when (e is Errors.KairosException or JsonException or FormatException)
        {
            return Fail(ContractCheck, $"{BundleFormat.FeatureContractFile} is not a valid feature contract: {e.Message}");
        }
        if (metadata is null) return Fail(ContractCheck, $"contract hashes to {hash}; metadata unreadable, nothing to compare with");
        var problems = new List<string>();
        if (hash != metadata.FeatureContractHash)
            problems.Add($"{BundleFormat.FeatureContractFile} hashes to {hash}, bundle_metadata.json says {metadata.FeatureContractHash}");
        problems.AddRange(ContractShape.Check(contractJson, metadata));
        return problems.Count == 0 ? Pass(ContractCheck, hash) : Fail(ContractCheck, problems);
    }

    private static VerificationCheck CheckRuntimeContract(string? contractJson, string? datasetJson, BundleMetadata? metadata, IFeatureContractAuthority authority)
    {
        if (contractJson is null || metadata is null) return Fail(RuntimeContractCheck, "no readable contract and metadata to compare with the running feature code");
        if (datasetJson is null) return Fail(RuntimeContractCheck, "the bundle has no verified dataset metadata (component 'dataset') to rebuild the contract from");
        string runtime;
        try
        {
            runtime = authority.RuntimeHashFor(contractJson, datasetJson);
        }
        catch (Exception e) when (e is Errors.KairosException or JsonException or FormatException)
        {
            return Fail(RuntimeContractCheck, $"the running feature code cannot rebuild this contract: {e.Message}");
        }
        return runtime == metadata.FeatureContractHash
            ? Pass(RuntimeContractCheck, $"running feature code produces {runtime}")
            : Fail(RuntimeContractCheck, $"bundle was built for feature contract {metadata.FeatureContractHash}, the running feature code produces {runtime}: features would differ from training");
    }

    private static VerificationCheck CheckComponents(string root, HashSet<string> verified, BundleMetadata? metadata)
    {
        if (metadata is null) return Fail(ComponentsCheck, "metadata unreadable, components not checked");
        var problems = new List<string>();
        var topLevel = new HashSet<string>(RequiredFiles, StringComparer.Ordinal);
        foreach (var path in verified.Where(p => p.EndsWith(".json", StringComparison.Ordinal) && !topLevel.Contains(p)).Order(StringComparer.Ordinal))
        {
            var full = Path.Combine(root, path);
            if (new FileInfo(full).Length > BundleJson.MaxJsonBytes) continue;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(File.ReadAllBytes(full), new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException e)
            {
                problems.Add($"'{path}' is not valid JSON: {e.Message}");
                continue;
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object) continue;
                ComponentRules.Check(path, doc.RootElement, metadata, problems);
            }
        }
        if (metadata.Components?.GetValueOrDefault("calibrators") is { } calibrators && verified.Contains(calibrators))
        {
            try
            {
                var set = Calibration.SessionCalibratorSet.Load(Path.Combine(root, calibrators));
                if (metadata.CalibrationRequired) set.Require(metadata.Sessions ?? []);
            }
            catch (Errors.KairosException e)
            {
                problems.Add($"'{calibrators}': {e.Message}");
            }
        }
        return problems.Count == 0 ? Pass(ComponentsCheck, "component metadata agrees with the bundle") : Fail(ComponentsCheck, problems);
    }

    private static VerificationCheck Pass(string name, string detail) => new() { Name = name, Passed = true, Problems = [], Detail = detail };
    private static VerificationCheck Fail(string name, string problem) => Fail(name, [problem]);
    private static VerificationCheck Fail(string name, IReadOnlyList<string> problems) => new() { Name = name, Passed = false, Problems = problems.ToArray() };

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex("^[0-9a-f]{16}$")]
    internal static partial Regex Hash16Pattern();
}
