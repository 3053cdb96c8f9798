namespace Kairos.Bundles;

/// <summary>A metric across walk-forward windows: mean, sample standard deviation, minimum and maximum over the windows where it was defined.</summary>
public sealed record ModelCardSpread(double Mean, double Std, double Min, double Max, int Windows);
