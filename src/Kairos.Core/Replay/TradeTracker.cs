using Kairos.Snapshots;

namespace Kairos.Replay;

/// <summary>Follows one open trade bar by bar over its entry-quality window (no bar is read before it arrives).</summary>
internal sealed class TradeTracker
{
    private readonly ReplayOptions _options;
    private readonly double _atr;
    private double _maxFavourable = double.NegativeInfinity;
    private double _maxAdverse = double.NegativeInfinity;
    private int _barsSeen;
    private int? _decidedAt;
    private bool _against;
    private double _lastExitValue = double.NaN;

    public TradeTracker(ReplayOptions options, in Bar decision, in BarPrediction prediction, TradeDirection direction, double spreadPrice)
    {
        _options = options;
        Direction = direction;
        Decision = decision;
        Prediction = prediction;
        SpreadPrice = spreadPrice;
        _atr = prediction.Context.AtrBps / 1e4 * decision.Close;
        var costs = (options.CommissionBps + options.SlippageBps) / 1e4 * decision.Close;
        EntryPrice = direction == TradeDirection.Long ? decision.Close + spreadPrice + costs : decision.Close - costs;
    }

    public TradeDirection Direction { get; }
    public Bar Decision { get; }
    public BarPrediction Prediction { get; }
    public double SpreadPrice { get; }
    public double EntryPrice { get; }
    public bool IsDone => _barsSeen >= _options.EntryQualityBars;

    /// <summary>Takes the next bar after entry; <paramref name="spreadPrice"/> is that bar's spread (for the ask side).</summary>
    public void Update(in Bar bar, double spreadPrice)
    {
        _barsSeen++;
        double favourable, adverse;
        if (Direction == TradeDirection.Long)
        {
            favourable = bar.High - EntryPrice;
            adverse = EntryPrice - bar.Low;
            _lastExitValue = bar.Close - EntryPrice;
        }
        else
        {
            favourable = EntryPrice - (bar.Low + spreadPrice);
            adverse = bar.High + spreadPrice - EntryPrice;
            _lastExitValue = EntryPrice - (bar.Close + spreadPrice);
        }
        _maxFavourable = Math.Max(_maxFavourable, favourable);
        _maxAdverse = Math.Max(_maxAdverse, adverse);
        if (_decidedAt is not null) return;
        // Within one bar the order of high and low is unknown: the adverse side is counted first (conservative).
        if (adverse >= _options.AdverseAtr * _atr)
        {
            _decidedAt = _barsSeen;
            _against = true;
        }
        else if (favourable >= _options.FavourableAtr * _atr)
        {
            _decidedAt = _barsSeen;
        }
    }

    public ReplayTrade Finish(TradeStatus status)
    {
        var against = _decidedAt is not null ? _against : _barsSeen > 0 && _lastExitValue < 0;
        var ctx = Prediction.Context;
        return new ReplayTrade
        {
            Time = Decision.Time,
            TimeUtc = ReplayTime.Format(Decision.Time),
            Direction = Direction,
            Probability = Direction == TradeDirection.Long ? Prediction.PLong : Prediction.PShort,
            EntryPrice = EntryPrice,
            SpreadBps = SpreadPrice / Decision.Close * 1e4,
            AtrBps = ctx.AtrBps,
            SessionId = ctx.SessionId,
            VolRegimeId = ctx.VolRegimeId,
            TrendRegimeId = ctx.TrendRegimeId,
            MaeAtr = _barsSeen == 0 ? 0 : _maxAdverse / _atr,
            MfeAtr = _barsSeen == 0 ? 0 : _maxFavourable / _atr,
            WentAgainst = against,
            DecidedAtBar = _decidedAt,
            BarsSeen = _barsSeen,
            Status = status,
        };
    }
}
