namespace Kairos.Deep.Runs;

/// <summary>One of the design notes' post-training checks, with what was measured.</summary>
public sealed record SuccessCheck(string Name, bool Passed, string Detail);
