namespace Kairos.Search.Samplers;

/// <summary>
/// Draws one parameter of one trial. Implementations are pure functions of the context: the same
/// seed, trial number, parameter and history always give the same value.
/// </summary>
public interface ISampler
{
    /// <summary>Returns the internal value (see <see cref="ParamDistribution"/>) of parameter <paramref name="name"/>.</summary>
    double Sample(SamplingContext context, string name, ParamDistribution distribution);
}
