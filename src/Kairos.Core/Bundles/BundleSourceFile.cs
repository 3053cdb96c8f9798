namespace Kairos.Bundles;

/// <summary>A file to copy into a bundle: where it is now and its bundle-relative path.</summary>
public sealed record BundleSourceFile(string SourcePath, string BundlePath);
