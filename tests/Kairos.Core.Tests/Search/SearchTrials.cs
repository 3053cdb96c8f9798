using Kairos.Search;

namespace Kairos.Tests.Search;

/// <summary>Builds stored-trial records in code for sampler and pruner tests.</summary>
internal static class SearchTrials
{
    public static FrozenTrial Complete(int number, double value, params (string Name, ParamDistribution Dist, double Value)[] ps) =>
        Make(number, TrialState.Complete, value, new Dictionary<long, double>(), ps);

    public static FrozenTrial WithCurve(int number, TrialState state, double? value, IReadOnlyDictionary<long, double> curve) =>
        Make(number, state, value, curve, []);

    public static FrozenTrial Make(int number, TrialState state, double? value, IReadOnlyDictionary<long, double> curve,
        (string Name, ParamDistribution Dist, double Value)[] ps) => new()
    {
        TrialId = number + 1,
        Number = number,
        State = state,
        Value = value,
        Params = ps.ToDictionary(p => p.Name, p => p.Value),
        Distributions = ps.ToDictionary(p => p.Name, p => p.Dist),
        IntermediateValues = curve,
        Attributes = new Dictionary<string, string>(),
        Attempt = 1,
    };
}
