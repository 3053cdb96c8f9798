using System.CommandLine;

namespace Kairos.Cli.Commands;

/// <summary><c>--features</c> of <c>kairos train lstm</c> and <c>kairos pretrain</c>: the sequence features the model reads (<see cref="Kairos.Deep.Lstm.SequenceDatasetLoader.ResolveFeatures"/>).</summary>
internal static class SequenceFeaturesOption
{
    /// <param name="model">What reads them (<c>the classifier</c>, <c>the encoder</c>).</param>
    /// <param name="note">Said after the values (may be empty).</param>
    public static Option<string> Create(string model, string note) => new("--features")
    {
        Description = $"Sequence features {model} reads: rel (the 11 relative-transform features, default), all (every sequence feature of the dataset: " +
                      $"what a bundle's feature pipeline builds) or a comma list.{note}",
        DefaultValueFactory = _ => "rel",
    };
}
