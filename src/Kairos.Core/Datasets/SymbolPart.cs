using System.Text.Json;
using Kairos.Artifacts;
using Kairos.Errors;
using Kairos.Features;
using Kairos.Snapshots;

namespace Kairos.Datasets;

/// <summary>
/// One symbol's share of a dataset build, computed by a worker and kept on storage every worker and the merging
/// build can read: <c>&lt;parts&gt;/&lt;symbol&gt;/</c> with the feature spill (<c>spill/&lt;column&gt;.f64</c>, as
/// <see cref="ColumnSpill"/> writes it), <c>part.parquet</c> (per bar: time, context, labels, eligibility) and
/// <c>part.json</c>. Written to a temporary sibling and renamed, so a part is complete or absent; a worker that finds it
/// present leaves it alone. Every build goes through parts (its own under its temporary directory, or a distributed build's
/// workers'): it computes a symbol into its part, keeps only <see cref="ReadSamples"/>' compact state, and reads the per-bar
/// columns back (<see cref="ReadColumn{T}"/>, the spill) as it writes the files.
/// </summary>
internal static class SymbolPart
{
    public const string ParquetFile = "part.parquet";
    public const string MetadataFile = "part.json";
    private const string SpillDirectory = "spill";

    /// <summary>Directory of <paramref name="symbol"/>'s part under <paramref name="parts"/>.</summary>
    public static string DirectoryOf(string parts, string symbol) => Path.Combine(parts, symbol);

    public static bool Exists(string parts, string symbol) => File.Exists(Path.Combine(DirectoryOf(parts, symbol), MetadataFile));

    /// <summary>
    /// Computes a part with <paramref name="compute"/> (given the spill directory to stream features to) and publishes it;
    /// false when it was already there (or another worker published it first).
    /// </summary>
    public static bool Write(string parts, string symbol, Func<string, SymbolBuild> compute)
    {
        if (Exists(parts, symbol)) return false;
        Directory.CreateDirectory(parts);
        var final = DirectoryOf(parts, symbol);
        var temp = ArtifactDirectory.CreateTemporarySibling(parts, symbol);
        try
        {
            var build = compute(Path.Combine(temp, SpillDirectory));
            build.Spill.Complete();
            var f = build.Features;
            var l = build.Labels;
            ParquetColumns.Write(Path.Combine(temp, ParquetFile),
            [
                new("timestamp", build.Bars.Time),
                new("session_id", f.SessionId),
                new("trend_regime_id", f.TrendRegimeId),
                new("vol_regime_id", f.VolRegimeId),
                new("atr_bps", f.AtrBps),
                new("spread_bps", f.SpreadBps),
                new("bars_since_gap", f.BarsSinceGap),
                new("y_direction", l.Direction),
                new("y_early_move", l.EarlyMove),
                new("y_quality", l.Quality),
                new("mae_atr", l.Mae),
                new("mfe_atr", l.Mfe),
                new("label_end", l.LabelEnd),
                new("reason", build.Reasons.Select(r => (int)r).ToArray()),
            ]);
            var meta = new PartMetadata(symbol, build.Bars.Count, Enumerable.Range(0, build.Spill.Columns).Select(build.Spill.Rows).ToArray());
            File.WriteAllText(Path.Combine(temp, MetadataFile), JsonSerializer.Serialize(meta, DatasetJson.Options));
            try
            {
                Directory.Move(temp, final);
                return true;
            }
            catch (IOException) when (Exists(parts, symbol))
            {
                return false; // published by another worker meanwhile: same inputs, same content
            }
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>
    /// Reads the compact state of <paramref name="bars"/>' part (<see cref="SymbolSamples"/>); its spill stays on storage
    /// (not deleted when disposed). Fails naming the file when the part does not describe these bars.
    /// </summary>
    public static SymbolSamples ReadSamples(string parts, BarSeries bars, SymbolInfo info, int featureColumns)
    {
        var dir = DirectoryOf(parts, bars.Symbol);
        var metaPath = Path.Combine(dir, MetadataFile);
        var meta = JsonSerializer.Deserialize<PartMetadata>(File.ReadAllText(metaPath), DatasetJson.Options)
            ?? throw new DataException(metaPath, "dataset-part", "the file is JSON null");
        var path = Path.Combine(dir, ParquetFile);
        var (rows, columns) = ParquetColumns.Read(path, ["timestamp", "reason", "label_end", "bars_since_gap"]);
        var c = columns.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        var time = (long[])c["timestamp"];
        if (meta.Symbol != bars.Symbol || rows != bars.Count || meta.SpillRows.Length != featureColumns || !time.AsSpan().SequenceEqual(bars.Time))
            throw new DataException(path, "dataset-part-mismatch",
                $"the part of {meta.Symbol} ({rows} bars, {meta.SpillRows.Length} feature columns) is not of these bars ({bars.Symbol}: {bars.Count} bars, {featureColumns} feature columns); delete {dir} to compute it again");
        var reason = (int[])c["reason"];
        var labelEnd = (long[])c["label_end"];
        var counts = new long[Enum.GetValues<EligibilityReason>().Max(r => (int)r) + 1];
        foreach (var r in reason) counts[r]++;
        var eligible = new int[counts[(int)EligibilityReason.Eligible]];
        for (int r = 0, k = 0; r < reason.Length; r++)
            if (reason[r] == (int)EligibilityReason.Eligible) eligible[k++] = r;
        var sinceGap = (int[])c["bars_since_gap"];
        var gaps = 0;
        for (var r = 1; r < sinceGap.Length; r++)
            if (sinceGap[r] == 0) gaps++;
        return new SymbolSamples
        {
            Directory = dir,
            Info = info with { Eligible = eligible.Length, Gaps = gaps },
            Spill = ColumnSpill.Open(Path.Combine(dir, SpillDirectory), meta.SpillRows),
            Rows = eligible,
            Times = eligible.Select(r => time[r]).ToArray(),
            LabelEnds = eligible.Select(r => labelEnd[r]).ToArray(),
            ReasonCounts = counts,
        };
    }

    /// <summary>One per-bar column of the part in <paramref name="directory"/> (a name of its <c>part.parquet</c>), into <paramref name="destination"/> (its bar count long).</summary>
    public static void ReadColumn<T>(string directory, string name, Span<T> destination) =>
        ParquetColumns.ReadColumn(Path.Combine(directory, ParquetFile), name, destination);

    private sealed record PartMetadata(string Symbol, int Bars, long[] SpillRows);
}
