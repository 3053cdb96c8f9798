namespace Kairos.Features;

/// <summary>Where spread values come from; recorded in the feature contract.</summary>
public enum SpreadSource
{
    /// <summary>The bars' own spread column (an error when a symbol has none).</summary>
    Column,
    /// <summary>A configured constant in basis points, for instruments without a spread column.</summary>
    Constant,
    /// <summary>No spread: spread features and the spread context columns are left out of the dataset.</summary>
    Absent,
}
