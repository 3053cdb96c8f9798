namespace Kairos.Search;

public enum PrunerKind
{
    None,
    Median,
    SuccessiveHalving,
}
