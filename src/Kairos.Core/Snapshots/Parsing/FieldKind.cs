namespace Kairos.Snapshots.Parsing;

/// <summary>What a column of a delimited bar file holds.</summary>
internal enum FieldKind : byte
{
    Ignored,
    IsoTime,
    Mt5DateTime,
    Mt5Date,
    Mt5TimeOfDay,
    Open,
    High,
    Low,
    Close,
    Volume,
    Spread,
    SpreadPoints,
    AskOpen,
    AskHigh,
    AskLow,
    AskClose,
    RealVolume,
}
