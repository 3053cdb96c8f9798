namespace Kairos.Search;

/// <summary>One line of <c>kairos study list</c>.</summary>
public sealed record StudySummary(
    string Name,
    StudyDirection Direction,
    int TargetTrials,
    int Waiting,
    int Running,
    int Complete,
    int Pruned,
    int Failed,
    double? BestValue,
    string ObjectiveKind,
    DateTimeOffset CreatedAt);
