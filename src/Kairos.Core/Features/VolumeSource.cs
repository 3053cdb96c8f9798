namespace Kairos.Features;

/// <summary>Whether the bars' volume is used; recorded in the feature contract when absent.</summary>
public enum VolumeSource
{
    /// <summary>The bars' volume column (volume features on a snapshot without volume are an error naming them).</summary>
    Column,
    /// <summary>No volume (quote bars): volume features are left out of the defaults and the contract lists them.</summary>
    Absent,
}
