using Kairos.Deep.Runs;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// The <c>train_config.json</c> of a run on the hybrid's inputs (the hybrid, the TFT): the family's options plus the dataset
/// they were applied to.
/// </summary>
/// <typeparam name="TOptions">The family's trainer options (<see cref="HybridTrainerOptions"/>, <see cref="Tft.TftTrainerOptions"/>).</typeparam>
public sealed record HybridInputsTrainConfig<TOptions>
{
    public int SchemaVersion { get; init; } = 1;
    public required TOptions Options { get; init; }
    public required string DatasetId { get; init; }
    public string? DatasetPath { get; init; }
    public required string FeatureContractHash { get; init; }
    public required bool RequireCalibration { get; init; }
    public required IReadOnlyList<string> TreeSignals { get; init; }

    /// <summary>
    /// Writes the config of a run of <paramref name="options"/> on <paramref name="info"/>'s dataset into <paramref name="run"/>,
    /// or (resuming) checks it against the saved one (<see cref="RunProvenance.WriteOrCheck{T}"/>), comparing the options as
    /// <paramref name="resultNeutral"/> leaves them: without the settings that cannot change the result.
    /// </summary>
    public static void WriteOrCheck(RunDirectory run, TOptions options, HybridDatasetInfo info, bool requireCalibration, bool resume, TimeProvider time,
        Func<TOptions, TOptions> resultNeutral)
    {
        var config = new HybridInputsTrainConfig<TOptions>
        {
            Options = options,
            DatasetId = info.DatasetId,
            DatasetPath = info.DatasetPath,
            FeatureContractHash = info.FeatureContractHash,
            RequireCalibration = requireCalibration,
            TreeSignals = info.TreeSignals,
        };
        RunProvenance.WriteOrCheck(run, config, resume, time, c => c with { Options = resultNeutral(c.Options) });
    }
}
