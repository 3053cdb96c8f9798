using System.Security.Cryptography;
using System.Text;
using Kairos.Search;
using Kairos.Search.Storage;

namespace Kairos.Trees.Tuning;

/// <summary>
/// Where a walk-forward's LightGBM parameters (<see cref="WalkForwardSpec.Parameters"/>) came from, recorded in its
/// spec so the folds can be traced and reproduced: the study storage (its <see cref="IStudyStorage.Location"/>, which
/// never holds a password), study, trial number and value of a search's best trial; or the full path and SHA-256 of a
/// parameters file; or the SHA-256 of inline JSON; or the defaults.
/// </summary>
public sealed record WalkForwardParameterSource
{
    public required WalkForwardParameterOrigin Origin { get; init; }

    /// <summary><see cref="WalkForwardParameterOrigin.BestTrial"/>: the storage of the searched study, without credentials.</summary>
    public string? Storage { get; init; }

    /// <summary><see cref="WalkForwardParameterOrigin.BestTrial"/>: the searched study's name.</summary>
    public string? Study { get; init; }

    /// <summary><see cref="WalkForwardParameterOrigin.BestTrial"/>: the best trial's number.</summary>
    public int? Trial { get; init; }

    /// <summary><see cref="WalkForwardParameterOrigin.BestTrial"/>: the best trial's objective value.</summary>
    public double? Value { get; init; }

    /// <summary><see cref="WalkForwardParameterOrigin.File"/>: the parameters file's full path.</summary>
    public string? File { get; init; }

    /// <summary>File: SHA-256 of the file's bytes; inline: of the JSON text as UTF-8 (lower-case hex).</summary>
    public string? Sha256 { get; init; }

    public static WalkForwardParameterSource Defaults { get; } = new() { Origin = WalkForwardParameterOrigin.Defaults };

    /// <summary>The best trial <paramref name="trial"/> (value <paramref name="value"/>) of study <paramref name="study"/> in <paramref name="storage"/>.</summary>
    public static WalkForwardParameterSource BestTrial(IStudyStorage storage, string study, int trial, double value) => new()
    {
        Origin = WalkForwardParameterOrigin.BestTrial,
        Storage = storage.Location,
        Study = study,
        Trial = trial,
        Value = value,
    };

    /// <summary>The parameters file <paramref name="path"/>, whose bytes were <paramref name="content"/>.</summary>
    public static WalkForwardParameterSource FromFile(string path, ReadOnlySpan<byte> content) => new()
    {
        Origin = WalkForwardParameterOrigin.File,
        File = Path.GetFullPath(path),
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
    };

    /// <summary>Parameters given as the JSON text <paramref name="json"/>.</summary>
    public static WalkForwardParameterSource Inline(string json) => new()
    {
        Origin = WalkForwardParameterOrigin.Inline,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))),
    };

    /// <summary>One line for a console: where the parameters came from.</summary>
    public string Describe() => Origin switch
    {
        WalkForwardParameterOrigin.BestTrial => FormattableString.Invariant($"best trial {Trial} (value {Value:G6}) of study '{Study}' in {Storage}"),
        WalkForwardParameterOrigin.File => $"file {File} (SHA-256 {Sha256})",
        WalkForwardParameterOrigin.Inline => $"inline JSON (SHA-256 {Sha256})",
        _ => "GbdtParameters defaults",
    };
}
