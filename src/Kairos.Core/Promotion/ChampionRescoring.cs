using Kairos.Errors;
using Kairos.Evaluation;
using Kairos.Predict;
using Kairos.Progress;

namespace Kairos.Promotion;

/// <summary>
/// The champion scored on the candidate's rows: the snapshot's bars stream through the champion's own pipeline
/// (<see cref="BarScoring"/>: its feature contract, eligibility, scalers, trees, calibrators and hybrid model, whatever
/// the candidate's), over the candidate's test period, symbol by symbol; its probability on each of the candidate's rows
/// (symbol and timestamp) is paired with the candidate's. Both are judged on the candidate's labels.
/// </summary>
internal static class ChampionRescoring
{
    /// <summary>The two prediction sets on the rows both models scored, and what was left out.</summary>
    internal sealed record Result(Predictions Candidate, Predictions Champion, int CandidateRows, int LabelDisagreements)
    {
        public int CommonRows => Candidate.Count;
        public bool AllCandidateRows => CommonRows == CandidateRows;
    }

    /// <param name="championSource">The path the champion's predictions will be written to (their <c>source</c>).</param>
    /// <param name="commonSource">The path the candidate's predictions on the common rows will be written to, when some were left out.</param>
    public static Result Score(string championDirectory, Predictions candidate, PromotionRequest request, string championSource, string commonSource, IProgressSink progress)
    {
        var times = candidate.Timestamps
            ?? throw new DataException(candidate.Source, "paired-rows", "the candidate's predictions have no timestamp column: the champion cannot be scored on the same bars");
        var labels = candidate.RequireLabels();
        if (candidate.Count == 0) throw new DataException(candidate.Source, "no-rows", "the candidate's predictions are empty");
        string SymbolOf(int k) => candidate.Symbols?[k] ?? request.Symbols[0];
        // Per symbol: the champion's eligible, scored rows by bar time.
        var scored = new Dictionary<string, (PredictionTable Table, Dictionary<long, int> RowAt)>(StringComparer.Ordinal);
        foreach (var symbol in request.Symbols)
        {
            var symbolTimes = Enumerable.Range(0, candidate.Count).Where(k => SymbolOf(k) == symbol).Select(k => times[k]).ToList();
            if (symbolTimes.Count == 0) continue;
            PredictionTable table;
            try
            {
                table = BarScoring.Run(new PredictOptions
                {
                    Bundle = championDirectory,
                    Snapshot = request.Snapshot,
                    Symbol = symbol,
                    From = symbolTimes.Min(),
                    To = symbolTimes.Max() + 1,
                    Scoring = request.Scoring with { Live = false },
                }, progress);
            }
            catch (DataException e) when (e.Rule == "symbol-unknown" && request.Symbols.Count > 1)
            {
                continue; // a pooled champion that never learned this symbol scores none of its rows
            }
            var rowAt = new Dictionary<long, int>(table.Count);
            for (var i = 0; i < table.Count; i++)
                if (table.Eligible(i) && double.IsFinite(table.PLong[i]))
                    rowAt[table.Time[i]] = i;
            scored[symbol] = (table, rowAt);
        }
        var keep = new List<int>(candidate.Count);
        var champion = new List<double>(candidate.Count);
        var disagreements = 0;
        for (var k = 0; k < candidate.Count; k++)
        {
            if (!scored.TryGetValue(SymbolOf(k), out var s) || !s.RowAt.TryGetValue(times[k], out var i)) continue;
            keep.Add(k);
            champion.Add(s.Table.PLong[i]);
            if (s.Table.YDirection[i] >= 0 && s.Table.YDirection[i] != labels[k]) disagreements++;
        }
        if (keep.Count == 0)
            throw new DataException(championDirectory, "paired-rows",
                $"the champion scores none of the candidate's {candidate.Count} rows on snapshot {request.Snapshot} (none eligible under its own rules)");
        var rows = keep.ToArray();
        var all = rows.Length == candidate.Count;
        var common = all ? candidate : Subset(candidate, rows, commonSource, candidate.Probabilities);
        var championPredictions = Subset(candidate, rows, championSource, [.. champion]);
        return new Result(common, championPredictions, candidate.Count, disagreements);
    }

    /// <summary>The rows <paramref name="rows"/> of <paramref name="p"/> (labels, context, times) with the given probabilities.</summary>
    private static Predictions Subset(Predictions p, int[] rows, string source, double[] probabilities)
    {
        T[]? Take<T>(T[]? column) => column is null ? null : rows.Select(i => column[i]).ToArray();
        var values = probabilities.Length == rows.Length ? probabilities : rows.Select(i => probabilities[i]).ToArray();
        return new Predictions(source, values, Take(p.Labels), Take(p.Sessions), Take(p.VolRegimes), Take(p.Timestamps), Take(p.Symbols));
    }
}
