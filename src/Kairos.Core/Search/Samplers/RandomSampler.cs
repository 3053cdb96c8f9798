namespace Kairos.Search.Samplers;

/// <summary>
/// Independent draws from the prior of each distribution: uniform, log-uniform (log), uniform over
/// the integers (int; log-int draws log-uniformly over [low-0.5, high+0.5] and rounds), uniform over choices.
/// </summary>
public sealed class RandomSampler : ISampler
{
    public double Sample(SamplingContext context, string name, ParamDistribution distribution) =>
        Draw(SearchRandom.For(context.Seed, context.TrialNumber, name, "random"), distribution);

    internal static double Draw(SearchRandom rng, ParamDistribution distribution)
    {
        switch (distribution)
        {
            case FloatDistribution f:
                if (f.Low == f.High) return f.Low;
                if (f.Log)
                {
                    var v = Math.Exp(Math.Log(f.Low) + rng.NextDouble() * (Math.Log(f.High) - Math.Log(f.Low)));
                    return Math.Clamp(v, f.Low, f.High);
                }
                return Math.Clamp(f.Low + rng.NextDouble() * (f.High - f.Low), f.Low, f.High);
            case IntDistribution i:
                if (i.Log)
                {
                    var lo = Math.Log(i.Low - 0.5);
                    var hi = Math.Log(i.High + 0.5);
                    return Math.Clamp(Math.Round(Math.Exp(lo + rng.NextDouble() * (hi - lo))), i.Low, i.High);
                }
                return i.Low + Math.Min((long)(rng.NextDouble() * (i.High - i.Low + 1)), i.High - i.Low);
            case CategoricalDistribution c:
                return rng.NextInt(c.Choices.Count);
            default:
                throw new ArgumentException("unknown distribution " + distribution.GetType().Name, nameof(distribution));
        }
    }
}
