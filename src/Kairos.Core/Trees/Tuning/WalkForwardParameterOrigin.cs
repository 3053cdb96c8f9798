namespace Kairos.Trees.Tuning;

/// <summary>Where the LightGBM parameters of a walk-forward come from (<see cref="WalkForwardParameterSource"/>).</summary>
public enum WalkForwardParameterOrigin
{
    /// <summary>The <see cref="Trees.GbdtParameters"/> defaults: neither a file, inline JSON nor a study was given.</summary>
    Defaults,
    /// <summary>A JSON file of parameters (<c>--parameters FILE</c>).</summary>
    File,
    /// <summary>JSON given on the command line (<c>--parameters '{...}'</c>).</summary>
    Inline,
    /// <summary>The best complete trial of a trees search (<c>--best-of STUDY</c>).</summary>
    BestTrial,
}
