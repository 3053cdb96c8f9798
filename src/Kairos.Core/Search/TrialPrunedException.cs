namespace Kairos.Search;

/// <summary>Thrown by an objective to stop a trial that <see cref="ITrial.ShouldPrune"/> condemned.</summary>
public sealed class TrialPrunedException : Exception
{
    public TrialPrunedException() : base("trial pruned") { }

    public TrialPrunedException(string message) : base(message) { }
}
