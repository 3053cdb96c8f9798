namespace Kairos.Search.Samplers;

public enum SamplerKind
{
    Tpe,
    Random,
}
