using System.Reflection;
using System.Text.RegularExpressions;

namespace Kairos.Artifacts;

/// <summary>
/// The one code version every artifact records (snapshot manifest, dataset and trees lineage, training runs'
/// <c>git_commit.txt</c>, bundle lineage, ONNX metadata): the git commit this build of Kairos was compiled from, as
/// the SDK embeds it in the informational version (<c>1.0.0+&lt;sha&gt;</c>). Read from the binary, not from the
/// working tree at run time, so every stage of one run records the same string whatever the checkout does meanwhile.
/// Null when the build had no git revision (a source archive).
/// </summary>
public static partial class CodeVersion
{
    public static string? Current { get; } = Parse(
        typeof(CodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>The commit after the <c>+</c> of an informational version, or null when there is none.</summary>
    public static string? Parse(string? informationalVersion)
    {
        var plus = informationalVersion?.IndexOf('+') ?? -1;
        if (plus < 0) return null;
        var commit = informationalVersion![(plus + 1)..];
        return Commit().IsMatch(commit) ? commit : null;
    }

    [GeneratedRegex("^[0-9a-f]{7,64}$")]
    private static partial Regex Commit();
}
