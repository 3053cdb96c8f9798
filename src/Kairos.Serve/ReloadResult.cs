namespace Kairos.Serve;

/// <summary>What a reload did: swapped to <see cref="To"/>, found the model unchanged, or was refused (the old model stays) with the problems.</summary>
public sealed record ReloadResult(string Outcome, DecisionModel From, DecisionModel To, IReadOnlyList<string> Problems)
{
    public const string Swapped = "swapped";
    public const string Unchanged = "unchanged";
    public const string Refused = "refused";
}
