using System.Text.Json.Serialization;

namespace Kairos.Snapshots;

/// <summary>Input layouts Kairos ingests.</summary>
public enum BarFileFormat
{
    /// <summary>Decide from the file: Parquet or zip (Lean) magic bytes, else the header's first column.</summary>
    [JsonStringEnumMemberName("auto")]
    Auto,
    /// <summary>Normalised CSV: <c>timestamp,open,high,low,close,volume</c> [+ <c>spread_points,spread</c> | <c>ask_open..ask_close,spread</c>].</summary>
    [JsonStringEnumMemberName("csv")]
    Csv,
    /// <summary>MetaTrader 5 export: <c>time,open,...,tick_volume,spread,real_volume</c> or tab-separated <c>&lt;DATE&gt; &lt;TIME&gt; ... &lt;SPREAD&gt;</c>.</summary>
    [JsonStringEnumMemberName("mt5")]
    Mt5,
    /// <summary>Parquet as written by Kairos (<c>timestamp</c> INT64 Unix seconds, DOUBLE price columns).</summary>
    [JsonStringEnumMemberName("parquet")]
    Parquet,
    /// <summary>QuantConnect Lean bars: a zip holding one headerless CSV of quote (bid/ask) or trade bars.</summary>
    [JsonStringEnumMemberName("lean")]
    Lean,
}
