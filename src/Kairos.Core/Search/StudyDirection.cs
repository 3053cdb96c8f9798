namespace Kairos.Search;

/// <summary>Whether the objective is minimised (a loss) or maximised (a score).</summary>
public enum StudyDirection
{
    Minimize,
    Maximize,
}
