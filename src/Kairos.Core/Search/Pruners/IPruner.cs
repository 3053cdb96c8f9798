namespace Kairos.Search.Pruners;

/// <summary>Decides from intermediate values whether a running trial should stop early.</summary>
public interface IPruner
{
    bool ShouldPrune(PruningContext context);
}
