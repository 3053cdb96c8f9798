namespace Kairos.Search;

public enum SamplerKind
{
    Tpe,
    Random,
}
