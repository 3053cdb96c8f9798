namespace Kairos.Search;

/// <summary>
/// A trial's out-of-sample performance on one time-ordered, contiguous block of the rows its objective is
/// measured on (the same blocks for every trial of a study): the mean per-sample log-likelihood of its
/// predictions and the power sums of a per-sample trading return (flat rows count as a zero return), from
/// which means, Sharpe ratios, skewness and kurtosis over any union of blocks follow exactly.
/// </summary>
public sealed record PerformanceBlock
{
    /// <summary>Block index, 0 = earliest.</summary>
    public required int Index { get; init; }

    /// <summary>Decision time (Unix seconds) of the block's first row.</summary>
    public required long StartTime { get; init; }

    /// <summary>Decision time (Unix seconds) of the block's last row.</summary>
    public required long EndTime { get; init; }

    public required int Rows { get; init; }

    /// <summary>Mean of ln p(y) over the block's rows (natural log; 0 is perfect, ln 0.5 is a coin flip).</summary>
    public required double MeanLogLikelihood { get; init; }

    /// <summary>Rows on which the trading rule held a position.</summary>
    public required int Trades { get; init; }

    /// <summary>Sum of the per-sample returns.</summary>
    public required double ReturnSum { get; init; }

    /// <summary>Sum of squared per-sample returns.</summary>
    public required double ReturnSum2 { get; init; }

    /// <summary>Sum of cubed per-sample returns.</summary>
    public required double ReturnSum3 { get; init; }

    /// <summary>Sum of fourth powers of the per-sample returns.</summary>
    public required double ReturnSum4 { get; init; }

    public double MeanReturn => Rows == 0 ? 0 : ReturnSum / Rows;

    /// <summary>Blocks from per-row values already in time order: rows are cut into <paramref name="count"/> contiguous blocks of equal size (the first n mod S blocks one row longer).</summary>
    public static IReadOnlyList<PerformanceBlock> FromRows(IReadOnlyList<long> times, IReadOnlyList<double> logLikelihood, IReadOnlyList<double> returns,
        IReadOnlyList<bool> inMarket, int count)
    {
        var n = times.Count;
        if (logLikelihood.Count != n || returns.Count != n || inMarket.Count != n)
            throw new ArgumentException($"times ({n}), log-likelihoods ({logLikelihood.Count}), returns ({returns.Count}) and positions ({inMarket.Count}) differ in length.");
        if (count < 1 || n < count) throw new ArgumentOutOfRangeException(nameof(count), count, $"{n} rows cannot be cut into {count} non-empty blocks.");
        var blocks = new List<PerformanceBlock>(count);
        var start = 0;
        for (var b = 0; b < count; b++)
        {
            var end = start + n / count + (b < n % count ? 1 : 0);
            double ll = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
            var trades = 0;
            for (var i = start; i < end; i++)
            {
                if (i > 0 && times[i] < times[i - 1]) throw new ArgumentException($"row {i} is earlier than row {i - 1}: rows must be in time order.", nameof(times));
                ll += logLikelihood[i];
                var r = returns[i];
                s1 += r;
                s2 += r * r;
                s3 += r * r * r;
                s4 += r * r * r * r;
                if (inMarket[i]) trades++;
            }
            blocks.Add(new PerformanceBlock
            {
                Index = b, StartTime = times[start], EndTime = times[end - 1], Rows = end - start, MeanLogLikelihood = ll / (end - start),
                Trades = trades, ReturnSum = s1, ReturnSum2 = s2, ReturnSum3 = s3, ReturnSum4 = s4,
            });
            start = end;
        }
        return blocks;
    }
}
