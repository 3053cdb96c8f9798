namespace Kairos.Snapshots;

/// <summary>
/// Reads our normalised bar CSVs (<c>timestamp,open,high,low,close</c> and usually <c>volume</c>, plus
/// <c>spread_points,spread</c> or <c>ask_open,ask_high,ask_low,ask_close,spread</c>, or nothing more for crypto) into a validated
/// <see cref="BarSeries"/>. Strict: a broken rule throws <see cref="Kairos.Errors.DataException"/>.
/// </summary>
public static class BarCsvReader
{
    /// <summary>Reads <paramref name="path"/>; the symbol defaults to the file name up to its first '_' (EURUSD_M5_2025_mt5.csv: EURUSD).</summary>
    public static BarSeries Read(string path, string? symbol = null) =>
        BarFileReader.Read(path, symbol ?? SymbolFromFileName(path), new BarReadOptions { Format = BarFileFormat.Csv }).Series;

    /// <summary>The file name up to its first underscore, or the whole name without extension.</summary>
    public static string SymbolFromFileName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var cut = name.IndexOf('_');
        return cut > 0 ? name[..cut] : name;
    }
}
