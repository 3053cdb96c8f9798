using System.Security.Cryptography;
using System.Text;
using Kairos.Errors;
using Kairos.Progress;
using Kairos.Artifacts;

namespace Kairos.Bundles;

/// <summary>
/// Assembles a bundle from a <see cref="BundleDraft"/>: copies the component files, writes the feature
/// contract, metadata, Model Card (validated against its schema) and manifest in a temporary sibling
/// directory, verifies the result as <c>kairos bundle verify</c> would, and only then renames it to
/// <c>&lt;root&gt;/&lt;bundle_id&gt;</c>. A failure or a crash at any point leaves no bundle directory behind.
/// </summary>
public static class BundleBuilder
{
    public static BuiltBundle Build(BundleDraft draft, BundleBuildOptions options, IProgressSink? progress = null)
    {
        progress ??= NullProgressSink.Instance;
        CheckDraft(draft);

        using var hashing = progress.Start("Hashing bundle inputs", draft.Files.Count);
        var sourceHashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in draft.Files)
        {
            sourceHashes[file.BundlePath] = BundleManifest.HashFile(file.SourcePath);
            hashing.Advance(1);
        }
        foreach (var (path, content) in draft.GeneratedFiles)
            sourceHashes[path] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        var bundleId = ComputeBundleId(draft, sourceHashes);
        var createdAt = options.Time.GetUtcNow();
        var metadata = draft.Metadata with { SchemaVersion = BundleFormat.SchemaVersion, MinReaderVersion = BundleFormat.MinReaderVersion, BundleId = bundleId, CreatedAt = createdAt };
        var card = draft.Card with { Version = ModelCard.CurrentVersion, BundleId = bundleId, CreatedAt = createdAt };

        var root = Path.GetFullPath(options.OutputRoot);
        var final = Path.Combine(root, bundleId);
        var verifyOptions = new BundleVerifyOptions { ContractAuthority = options.ContractAuthority };
        if (Directory.Exists(final)) return Existing(final, bundleId, verifyOptions);

        var temporary = ArtifactDirectory.CreateTemporarySibling(root, bundleId);
        try
        {
            using (var copying = progress.Start("Copying components", draft.Files.Count))
            {
                foreach (var file in draft.Files)
                {
                    var destination = Path.Combine(temporary, file.BundlePath);
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    ArtifactDirectory.CopyFile(file.SourcePath, destination);
                    var copied = BundleManifest.HashFile(destination);
                    if (copied != sourceHashes[file.BundlePath])
                        throw new DataException(file.SourcePath, "input-changed", "the file changed while the bundle was being built; build again from a finished artifact");
                    copying.Advance(1);
                }
            }
            foreach (var (path, content) in draft.GeneratedFiles)
            {
                var destination = Path.Combine(temporary, path);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                ArtifactDirectory.WriteFile(destination, content);
            }
            ArtifactDirectory.WriteFile(Path.Combine(temporary, BundleFormat.FeatureContractFile), draft.FeatureContractJson);
            ArtifactDirectory.WriteFile(Path.Combine(temporary, BundleFormat.MetadataFile), BundleJson.Serialize(metadata));

            if (options.MeasureLatency is { } measure)
            {
                WriteCardAndManifest(temporary, card);
                using var _ = progress.Start("Measuring latency", 0);
                var latency = measure(temporary);
                card = card with { LatencyMs = latency.FullPathMs, LatencyDetail = latency.Detail };
                File.Delete(Path.Combine(temporary, BundleFormat.ModelCardFile));
                File.Delete(Path.Combine(temporary, BundleFormat.ManifestFile));
            }
            WriteCardAndManifest(temporary, card);

            using (progress.Start("Verifying bundle", 0))
                BundleVerifier.Verify(temporary, verifyOptions).ThrowIfFailed();
            ArtifactDirectory.Publish(temporary, final);
        }
        catch
        {
            ArtifactDirectory.Discard(temporary);
            throw;
        }

        var verification = BundleVerifier.Verify(final, verifyOptions).ThrowIfFailed();
        return new BuiltBundle
        {
            Directory = final,
            BundleId = bundleId,
            ContentHash = verification.ContentHash!,
            FeatureContractHash = metadata.FeatureContractHash,
            AlreadyExisted = false,
            Verification = verification,
        };
    }

    /// <summary>
    /// Replaces the Model Card of an existing bundle (for example with a latency measurement): a copy with
    /// the new card and manifest is verified, then swapped in. The bundle id does not change (it derives
    /// from the inputs); the content hash does.
    /// </summary>
    public static BuiltBundle ReplaceCard(string bundleDirectory, Func<ModelCard, ModelCard> change, IFeatureContractAuthority authority)
    {
        var root = Path.GetFullPath(bundleDirectory);
        var verifyOptions = new BundleVerifyOptions { ContractAuthority = authority };
        var before = BundleVerifier.Verify(root, verifyOptions).ThrowIfFailed();
        var problems = new List<string>();
        var card = BundleJson.TryRead<ModelCard>(Path.Combine(root, BundleFormat.ModelCardFile), BundleFormat.ModelCardFile, problems)
            ?? throw new VerificationException(root, problems);
        var updated = change(card);
        if (updated.BundleId != card.BundleId || updated.FeatureContractHash != card.FeatureContractHash)
            throw new InvalidOperationException("a card change may not alter bundle_id or feature_contract_hash");

        var parent = Path.GetDirectoryName(root)!;
        var temporary = ArtifactDirectory.CreateTemporarySibling(parent, Path.GetFileName(root));
        try
        {
            foreach (var relative in BundleManifest.ListFiles(root, out _))
            {
                if (relative is BundleFormat.ModelCardFile or BundleFormat.ManifestFile) continue;
                var destination = Path.Combine(temporary, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                ArtifactDirectory.CopyFile(Path.Combine(root, relative), destination);
            }
            WriteCardAndManifest(temporary, updated);
            BundleVerifier.Verify(temporary, verifyOptions).ThrowIfFailed();
            NativeFileSystem.SyncDirectory(temporary);
            NativeFileSystem.Exchange(temporary, root);
        }
        catch
        {
            ArtifactDirectory.Discard(temporary);
            throw;
        }
        ArtifactDirectory.Discard(temporary);
        var after = BundleVerifier.Verify(root, verifyOptions).ThrowIfFailed();
        return new BuiltBundle
        {
            Directory = root,
            BundleId = before.BundleId!,
            ContentHash = after.ContentHash!,
            FeatureContractHash = after.FeatureContractHash!,
            AlreadyExisted = true,
            Verification = after,
        };
    }

    /// <summary>
    /// The content-derived bundle id: SHA-256 (first 16 hex) of every input file's bundle path and hash, the
    /// feature contract, and the metadata and card as drafted (without id, time, latency and the metadata's <c>p_long</c>,
    /// which the evaluation and predictions files determine).
    /// </summary>
    public static string ComputeBundleId(BundleDraft draft, IReadOnlyDictionary<string, string> sourceHashes)
    {
        var text = new StringBuilder();
        foreach (var path in sourceHashes.Keys.Order(StringComparer.Ordinal))
            text.Append(path).Append('\t').Append(sourceHashes[path]).Append('\n');
        text.Append(draft.FeatureContractJson).Append('\n');
        var epoch = DateTimeOffset.UnixEpoch;
        // p_long follows from the evaluation and the run's predictions hashed above; without it, ids stay those of bundles built before it was recorded.
        text.Append(BundleJson.Serialize(draft.Metadata with { BundleId = "", CreatedAt = epoch, PLong = null }));
        text.Append(BundleJson.Serialize(draft.Card with { BundleId = "", CreatedAt = epoch, LatencyMs = null, LatencyDetail = null }));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static void WriteCardAndManifest(string directory, ModelCard card)
    {
        var cardJson = BundleJson.Serialize(card);
        var violations = ModelCardSchema.Validate(cardJson);
        if (violations.Count > 0) throw new VerificationException(BundleFormat.ModelCardFile, violations);
        ArtifactDirectory.WriteFile(Path.Combine(directory, BundleFormat.ModelCardFile), cardJson);
        ArtifactDirectory.WriteFile(Path.Combine(directory, BundleFormat.ManifestFile), BundleJson.Serialize(BundleManifest.Create(directory)));
    }

    private static void CheckDraft(BundleDraft draft)
    {
        var problems = new List<string>();
        var reserved = new HashSet<string>(StringComparer.Ordinal)
            { BundleFormat.MetadataFile, BundleFormat.ModelCardFile, BundleFormat.ManifestFile, BundleFormat.FeatureContractFile };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in draft.GeneratedFiles.Keys)
            if (BundlePath.Problem(path) is { } bad) problems.Add($"'{path}': {bad}");
            else if (reserved.Contains(path) || !seen.Add(path)) problems.Add($"'{path}' is given twice or written by the builder");
        foreach (var file in draft.Files)
        {
            if (BundlePath.Problem(file.BundlePath) is { } bad) problems.Add($"'{file.BundlePath}': {bad}");
            else if (reserved.Contains(file.BundlePath)) problems.Add($"'{file.BundlePath}' is written by the builder and cannot be an input");
            else if (!seen.Add(file.BundlePath)) problems.Add($"'{file.BundlePath}' is given twice");
            else if (!BundleFormat.AllowedExtensions.Contains(Path.GetExtension(file.BundlePath).ToLowerInvariant()))
                problems.Add($"'{file.SourcePath}': file kind '{Path.GetExtension(file.BundlePath)}' is not allowed in a bundle (data files only)");
            else if (!NativeFileSystem.IsRegularFile(file.SourcePath)) problems.Add($"'{file.SourcePath}' is missing or not a regular file");
        }
        if (problems.Count > 0) throw new ConfigException("bundle inputs", problems);
    }

    private static BuiltBundle Existing(string final, string bundleId, BundleVerifyOptions verifyOptions)
    {
        var verification = BundleVerifier.Verify(final, verifyOptions);
        if (!verification.Passed)
            throw new VerificationException($"existing bundle {final} (same inputs, id {bundleId})",
                verification.Failures.Append("remove the damaged bundle directory and build again").ToArray());
        return new BuiltBundle
        {
            Directory = final,
            BundleId = bundleId,
            ContentHash = verification.ContentHash!,
            FeatureContractHash = verification.FeatureContractHash!,
            AlreadyExisted = true,
            Verification = verification,
        };
    }
}
