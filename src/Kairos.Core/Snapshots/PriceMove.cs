namespace Kairos.Snapshots;

/// <summary>A close-to-close move ending at the bar opened at <see cref="Time"/>: log return, and the same in percent.</summary>
public sealed record PriceMove(DateTime Time, double LogReturn, double Percent);
