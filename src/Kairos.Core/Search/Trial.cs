using Kairos.Errors;
using Kairos.Search.Pruners;
using Kairos.Search.Samplers;
using Kairos.Search.Storage;

namespace Kairos.Search;

/// <summary>
/// A running trial: draws parameters through the study's sampler (persisting each at once, so a
/// retry reuses them), keeps intermediate values in memory until the result is written, and asks
/// the pruner.
/// </summary>
internal sealed class Trial : ITrial
{
    private readonly IStudyStorage _storage;
    private readonly ISampler _sampler;
    private readonly IPruner _pruner;
    private readonly SamplingContext _context;
    private readonly TrialLease _lease;
    private readonly IReadOnlyDictionary<string, (ParamDistribution Distribution, double Value)> _fixed;
    private readonly Dictionary<string, (ParamDistribution Distribution, double Value)> _params = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, double> _intermediate = [];
    private int _rungs;
    private IReadOnlyList<PerformanceBlock>? _blocks;

    public Trial(IStudyStorage storage, ISampler sampler, IPruner pruner, SamplingContext context, TrialLease lease,
        IReadOnlyDictionary<string, (ParamDistribution Distribution, double Value)> fixedParams)
    {
        _storage = storage;
        _sampler = sampler;
        _pruner = pruner;
        _context = context;
        _lease = lease;
        _fixed = fixedParams;
    }

    public int Number => _lease.Number;

    public IReadOnlyDictionary<long, double> IntermediateValues => _intermediate;

    public IReadOnlyList<PerformanceBlock>? Blocks => _blocks;

    public double SuggestFloat(string name, double low, double high, bool log = false) =>
        Suggest(name, new FloatDistribution(low, high, log));

    public long SuggestInt(string name, long low, long high, bool log = false) =>
        (long)Suggest(name, new IntDistribution(low, high, log));

    public string SuggestCategorical(string name, IReadOnlyList<string> choices)
    {
        var d = new CategoricalDistribution(choices.ToArray());
        return d.Choices[(int)Suggest(name, d)];
    }

    public void Report(long step, double value)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "steps start at 0");
        if (!_intermediate.TryAdd(step, value))
            throw new InvalidOperationException($"trial {Number}: step {step} was already reported");
    }

    public bool ShouldPrune()
    {
        var context = new PruningContext(_context.Direction, Number, _intermediate, _context.History, (rung, value) =>
        {
            _rungs = rung + 1;
            return _storage.RecordRung(_lease, rung, value);
        }, _rungs);
        return _pruner.ShouldPrune(context);
    }

    public void SetAttribute(string key, string value) => _storage.SetAttribute(_lease, key, value);

    public void SetPerformance(IReadOnlyList<PerformanceBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0) throw new ArgumentException($"trial {Number}: a performance series needs at least one block", nameof(blocks));
        for (var b = 0; b < blocks.Count; b++)
            if (blocks[b].Index != b)
                throw new ArgumentException($"trial {Number}: block {b} has index {blocks[b].Index}", nameof(blocks));
        _blocks = blocks;
    }

    private double Suggest(string name, ParamDistribution distribution)
    {
        var problems = distribution.Problems(name);
        if (problems.Count > 0) throw new ConfigException($"search space of trial {Number}", problems);
        if (_params.TryGetValue(name, out var known))
        {
            if (known.Distribution != distribution)
                throw new ConfigException($"search space of trial {Number}",
                    [$"{name} was suggested as {known.Distribution.ToJson()} and again as {distribution.ToJson()}"]);
            return known.Value;
        }
        double value;
        if (_fixed.TryGetValue(name, out var fixedParam))
        {
            if (!distribution.Contains(fixedParam.Value))
                throw new ConfigException($"search space of trial {Number}",
                    [$"{name}: the fixed value {fixedParam.Distribution.Format(fixedParam.Value)} lies outside {distribution.ToJson()}"]);
            value = fixedParam.Value;
        }
        else
        {
            value = _sampler.Sample(_context, name, distribution);
            _storage.SetParam(_lease, name, distribution, value);
        }
        _params[name] = (distribution, value);
        return value;
    }
}
