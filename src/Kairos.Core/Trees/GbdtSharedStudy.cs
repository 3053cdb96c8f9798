using Kairos.Search;
namespace Kairos.Trees;

/// <summary>
/// A search study shared with <c>kairos worker</c> processes (<c>--storage</c>, <c>--study</c>): the
/// storage location (<c>sqlite:PATH</c> or <c>postgres://...</c>) and the study name (null: the name
/// <c>kairos train gbdt</c> derives from the dataset and settings).
/// </summary>
public sealed record GbdtSharedStudy(string Storage, string? Study = null);
