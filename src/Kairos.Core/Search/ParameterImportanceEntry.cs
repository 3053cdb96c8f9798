namespace Kairos.Search;

/// <summary>One parameter's importance (see <see cref="ParameterImportance"/>).</summary>
/// <param name="Importance">Share of the summed adjusted main effects (all parameters sum to 1).</param>
/// <param name="AdjustedVarianceShare">Chance-corrected share of the objective's variance explained by this parameter alone.</param>
/// <param name="VarianceShare">Uncorrected correlation ratio (eta squared).</param>
/// <param name="Groups">Values or bins the parameter was grouped into.</param>
/// <param name="Trials">Complete trials that used the parameter.</param>
public sealed record ParameterImportanceEntry(string Name, double Importance, double AdjustedVarianceShare, double VarianceShare, int Groups, int Trials);
