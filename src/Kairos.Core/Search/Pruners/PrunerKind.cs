namespace Kairos.Search.Pruners;

public enum PrunerKind
{
    None,
    Median,
    SuccessiveHalving,
}
