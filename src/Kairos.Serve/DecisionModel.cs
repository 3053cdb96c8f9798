namespace Kairos.Serve;

/// <summary>The model that made a decision: registry version (or bundle directory name), bundle id, feature contract hash.</summary>
public sealed record DecisionModel(string Version, string BundleId, string Contract);
