namespace Kairos.Search.Pruners;

/// <summary>Never prunes.</summary>
public sealed class NopPruner : IPruner
{
    public bool ShouldPrune(PruningContext context) => false;
}
