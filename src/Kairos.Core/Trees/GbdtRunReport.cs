using Kairos.Artifacts;
namespace Kairos.Trees;

/// <summary>What <c>kairos train gbdt</c> did: where the artifacts are and what the models achieved.</summary>
public sealed record GbdtRunReport(string ArtifactDirectory, string EnrichedDatasetDirectory, bool Reused, GbdtArtifactMetadata Metadata);
