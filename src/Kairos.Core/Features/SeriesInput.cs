namespace Kairos.Features;

/// <summary>Per-bar input streams that shared indicators consume.</summary>
internal enum SeriesInput
{
    Close,
    High,
    Low,
    Volume,
    LogReturn,
    TrueRange,
    Gain,
    Loss,
    AbsChange,
    ParkinsonTerm,
    SpreadBps,
}
